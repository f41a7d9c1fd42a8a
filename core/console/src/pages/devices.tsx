import { useEffect } from 'preact/hooks';
import { StateBadge } from '../components/badges.js';
import { ago } from '../format.js';
import { useStore, type Store } from '../store.js';

const ATTENTION = new Set(['faulted', 'offline', 'degraded']);
const ORDER: Record<string, number> = { faulted: 0, offline: 1, degraded: 2, starting: 3, online: 4, stopped: 5 };

export function DevicesPage({ store }: { store: Store }) {
  useStore(store);
  // Counters and "last seen" change without a status event: poll them.
  useEffect(() => {
    const t = setInterval(() => {
      void store.refreshDevices().catch(() => undefined);
    }, 5000);
    return () => clearInterval(t);
  }, [store]);
  const devices = [...store.devices.values()].sort((a, b) => (ORDER[a.state] ?? 9) - (ORDER[b.state] ?? 9) || a.deviceId.localeCompare(b.deviceId));
  const rates = store.perMinute;
  const bad = devices.filter((d) => ATTENTION.has(d.state));
  return (
    <main class="page" aria-labelledby="devices-title">
      <h1 tabIndex={-1} id="devices-title">
        Devices
      </h1>
      {bad.length > 0 ? (
        <p class="banner banner-bad" role="status">
          {bad.length} device{bad.length > 1 ? 's need' : ' needs'} attention: {bad.map((d) => `${d.deviceId} (${d.state})`).join(', ')}
        </p>
      ) : (
        <p class="banner banner-ok" role="status">
          All {devices.length} devices are working.
        </p>
      )}
      <table class="grid devices">
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">Lane</th>
            <th scope="col">Plugin</th>
            <th scope="col">Status</th>
            <th scope="col">Since</th>
            <th scope="col">Last seen</th>
            <th scope="col">Per min</th>
            <th scope="col">Restarts</th>
            <th scope="col">Last error / reason</th>
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => (
            <tr key={d.deviceId} class={ATTENTION.has(d.state) ? `row-${d.state}` : ''}>
              <th scope="row">
                {d.deviceId}
                {d.adminState !== 'enabled' && <span class="muted"> ({d.adminState})</span>}
              </th>
              <td>{d.lane ?? '—'}</td>
              <td>{d.plugin}</td>
              <td>
                <StateBadge state={d.state} />
              </td>
              <td>{ago(d.since)}</td>
              <td>{ago(d.lastSeen)}</td>
              <td class="num">{rates.has(d.deviceId) ? rates.get(d.deviceId)!.toFixed(0) : '…'}</td>
              <td class="num">{d.restarts}</td>
              <td class="reason">
                {d.lastError ? (
                  <span class="error">
                    {d.lastError.code ? `${d.lastError.code}: ` : ''}
                    {d.lastError.message} <span class="muted">({ago(d.lastError.at)})</span>
                  </span>
                ) : (
                  <span class="muted">{d.reason ?? ''}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {devices.length === 0 && <p class="muted">No devices reported yet.</p>}
    </main>
  );
}
