import type { InspectionCase, Observation } from '@customs-hub/sdk';
import { ChannelBadge, StateBadge } from '../components/badges.js';
import { PassageTrace } from '../components/passage-trace.js';
import { XrayThumb } from '../components/xray-thumb.js';
import { overlaysFor } from '../logic/threat-overlays.js';
import { ago, clock, conveyanceLabel, KIND_LABELS } from '../format.js';
import { useStore, type Store } from '../store.js';

/** Observations this close to the latest one belong to the same conveyance passing. */
const PASSING_WINDOW_MS = 90_000;

function latest<K extends Observation['kind']>(list: Observation[], kind: K): Observation<K> | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (list[i]!.kind === kind) return list[i] as Observation<K>;
  return undefined;
}

function latestIdentified(list: Observation[]): Observation | undefined {
  for (let i = list.length - 1; i >= 0; i--) {
    const c = list[i]!.conveyance;
    if (c && (c.containers.length || c.plates.length || c.itemId)) return list[i];
  }
  return undefined;
}

function LaneCard({ store, lane }: { store: Store; lane: { id: string; name: string; type?: string; deviceIds: string[] } }) {
  const obs = store.observations(lane.id);
  const last = obs[obs.length - 1];
  const passage = latest(obs, 'radiation.passage');
  const scan = latest(obs, 'xray.scan');
  const overlays = scan ? overlaysFor(scan, obs) : [];
  const identified = latestIdentified(obs);
  const since = last ? Date.parse(last.receivedAt) - PASSING_WINDOW_MS : 0;
  const reported = new Map<string, Observation>();
  for (const o of obs) if (Date.parse(o.receivedAt) >= since) reported.set(o.deviceId, o);
  const laneCases = [...store.cases.values()].filter((c) => c.lane === lane.id).sort((a, b) => b.openedAt.localeCompare(a.openedAt));
  const laneCase = laneCases[0];
  // which vehicle each device's last reading was of: the case it joined (the portal and the scale read no identity)
  const caseOf = (o: Observation) => laneCases.find((c) => c.observationIds.includes(o.id));
  return (
    <section class="panel lane" aria-labelledby={`lane-${lane.id}`} data-lane={lane.id}>
      <header class="lane-head">
        <h2 id={`lane-${lane.id}`}>
          {lane.name}{' '}
          <span class="muted">
            {lane.id}
            {lane.type ? ` · ${lane.type}` : ''}
          </span>
        </h2>
        <span class="muted">{last ? `last reading ${ago(last.receivedAt)}` : 'no readings yet'}</span>
      </header>
      <p class="now-passing">
        <span class="label">Now passing</span>{' '}
        <strong data-testid="conveyance">{identified ? conveyanceLabel(identified.conveyance) : 'no conveyance identified'}</strong>
        {identified && <span class="muted"> · {clock(identified.receivedAt)}</span>}
      </p>
      <ul class="device-chips" aria-label="Devices of this lane">
        {lane.deviceIds.map((id) => {
          const d = store.devices.get(id);
          const o = reported.get(id);
          const c = o && caseOf(o);
          return (
            <li key={id} class={`chip ${o ? 'chip-reported' : 'chip-silent'}`} title={d?.reason ?? ''} data-case={c?.id}>
              <span class="chip-name">{id}</span> {d && <StateBadge state={d.state} />}
              <span class="chip-note">{o ? `${KIND_LABELS[o.kind] ?? o.kind} ${ago(o.receivedAt)}` : 'not reported'}</span>
              {c && <span class="chip-case muted"> · {c.conveyance ? conveyanceLabel(c.conveyance) : `case ${c.id.slice(0, 8)}`}</span>}
            </li>
          );
        })}
      </ul>
      {laneCase && <LaneCase c={laneCase} />}
      <div class="lane-body">
        <div class="lane-rpm">
          <h3>Radiation portal</h3>
          {passage ? <PassageTrace passage={passage} /> : <p class="muted">No passage yet.</p>}
        </div>
        <div class="lane-xray">
          <h3>X-ray</h3>
          {scan ? (
            <>
              <XrayThumb scan={scan} overlays={overlays} />
              <ul class="findings">
                {scan.payload.findings.length === 0 && overlays.length === 0 && <li class="muted">no findings</li>}
                {scan.payload.findings.slice(0, 5).map((f, i) => (
                  <li key={i}>
                    {f.class}
                    {f.confidence !== undefined ? ` (${Math.round(f.confidence * 100)} %)` : ''}
                  </li>
                ))}
                {scan.payload.findings.length === 0 && overlays.slice(0, 5).map((o, i) => <li key={`r${i}`}>{o.label}</li>)}
              </ul>
            </>
          ) : (
            <p class="muted">No scan yet.</p>
          )}
        </div>
      </div>
    </section>
  );
}

function LaneCase({ c }: { c: InspectionCase }) {
  return (
    <p class="lane-case">
      <ChannelBadge channel={c.channel ?? c.risk?.channel} state={c.state} />{' '}
      <a href={`#/cases/${encodeURIComponent(c.id)}`} data-case={c.id}>
        case {c.id.slice(0, 8)}
      </a>
      {c.risk && <span> · score {c.risk.score}</span>}
      <span class="muted">
        {' '}
        · {c.state} · {ago(c.openedAt)}
      </span>
    </p>
  );
}

export function LanesPage({ store }: { store: Store }) {
  useStore(store);
  const lanes = store.lanes();
  return (
    <main class="page" aria-labelledby="lanes-title">
      <h1 tabIndex={-1} id="lanes-title">
        Lanes
      </h1>
      {lanes.length === 0 && <p class="muted">No lanes configured.</p>}
      <div class="lanes">
        {lanes.map((l) => (
          <LaneCard key={l.id} store={store} lane={l} />
        ))}
      </div>
    </main>
  );
}
