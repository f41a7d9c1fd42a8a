import type { InspectionCase } from '@customs-hub/sdk';
import { useEffect, useState } from 'preact/hooks';
import { ChannelBadge } from '../components/badges.js';
import { ago, conveyanceLabel } from '../format.js';
import { useStore, type Store } from '../store.js';

type Filter = 'attention' | 'red' | 'yellow' | 'all';
const FILTERS: Array<[Filter, string]> = [
  ['attention', 'Red and yellow, not finished'],
  ['red', 'Red'],
  ['yellow', 'Yellow'],
  ['all', 'All cases'],
];
const FINISHED = new Set(['inspected', 'released']);
const RANK: Record<string, number> = { red: 0, yellow: 1, green: 2 };

export function channelOf(c: InspectionCase): string | undefined {
  return c.channel ?? c.risk?.channel;
}

function matches(c: InspectionCase, f: Filter): boolean {
  const ch = channelOf(c);
  if (f === 'all') return true;
  if (f === 'attention') return (ch === 'red' || ch === 'yellow') && !FINISHED.has(c.state);
  return ch === f;
}

export function CasesPage({ store }: { store: Store }) {
  useStore(store);
  const [filter, setFilter] = useState<Filter>('attention');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const refresh = () =>
      store.refreshCases().then(
        () => setError(null),
        (e: Error) => setError(e.message),
      );
    void refresh();
    const t = setInterval(refresh, 5000);
    return () => clearInterval(t);
  }, [store]);
  const cases = [...store.cases.values()]
    .filter((c) => matches(c, filter))
    .sort(
      (a, b) =>
        (RANK[channelOf(a) ?? ''] ?? 3) - (RANK[channelOf(b) ?? ''] ?? 3) ||
        (b.risk?.score ?? 0) - (a.risk?.score ?? 0) ||
        b.openedAt.localeCompare(a.openedAt),
    );
  return (
    <main class="page" aria-labelledby="cases-title">
      <h1 tabIndex={-1} id="cases-title">
        Cases
      </h1>
      <div class="filters" role="radiogroup" aria-label="Which cases">
        {FILTERS.map(([f, label]) => (
          <label key={f} class={filter === f ? 'filter active' : 'filter'}>
            <input type="radio" name="case-filter" value={f} checked={filter === f} onChange={() => setFilter(f)} /> {label}
          </label>
        ))}
      </div>
      {error && (
        <p class="error" role="alert">
          Cases could not be loaded: {error}
        </p>
      )}
      <table class="grid cases">
        <thead>
          <tr>
            <th scope="col">Channel</th>
            <th scope="col">Score</th>
            <th scope="col">Lane</th>
            <th scope="col">Conveyance</th>
            <th scope="col">Main reason</th>
            <th scope="col">State</th>
            <th scope="col">Opened</th>
          </tr>
        </thead>
        <tbody>
          {cases.map((c) => {
            const top = [...(c.risk?.contributions ?? [])].sort((a, b) => b.score - a.score)[0];
            return (
              <tr key={c.id} data-case={c.id} data-channel={channelOf(c) ?? ''}>
                <td>
                  <ChannelBadge channel={channelOf(c)} state={c.state} />
                </td>
                <td class="num">{c.risk ? c.risk.score : '—'}</td>
                <td>{c.lane}</td>
                <td>
                  <a href={`#/cases/${encodeURIComponent(c.id)}`}>{conveyanceLabel(c.conveyance)}</a>
                </td>
                <td class="reason">
                  {top ? top.reason : <span class="muted">{c.risk ? 'no risk indicators' : 'not scored yet'}</span>}
                  {c.risk && c.risk.contributions.length > 1 && <span class="muted"> (+{c.risk.contributions.length - 1} more)</span>}
                </td>
                <td>{c.state}</td>
                <td>{ago(c.openedAt)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {cases.length === 0 && <p class="muted">No cases match.</p>}
    </main>
  );
}
