import type { CaseContribution, InspectionCase, Observation } from '@customs-hub/sdk';
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { ChannelBadge } from '../components/badges.js';
import { PassageTrace } from '../components/passage-trace.js';
import { JumpLink } from '../components/jump-link.js';
import { RawLink } from '../components/raw-link.js';
import { XrayThumb } from '../components/xray-thumb.js';
import { overlaysFor } from '../logic/threat-overlays.js';
import { clock, conveyanceLabel, dateTime, KIND_LABELS, valueText } from '../format.js';
import { channelOf } from './cases.js';
import { CaseActions } from './case-actions.js';
import { CaseHistory } from './case-history.js';
import type { Store } from '../store.js';

function Reason({ c, byId }: { c: CaseContribution; byId: Map<string, Observation> }) {
  const values = Object.entries(c.evidence.values ?? {});
  return (
    <li class="reason-item">
      <p>
        <strong class="reason-score">+{c.score}</strong> {c.reason}
      </p>
      <p class="muted">
        {c.scorer} · {c.code}
        {values.length > 0 && <> · {values.map(([k, v]) => `${k}: ${valueText(v)}`).join(', ')}</>}
        {c.evidence.observationIds.length > 0 && (
          <>
            {' '}
            · evidence:{' '}
            {c.evidence.observationIds.map((id, i) => {
              const o = byId.get(id);
              return (
                <Fragment key={id}>
                  {i > 0 && ', '}
                  <JumpLink to={`obs-${id}`}>{o ? `${KIND_LABELS[o.kind] ?? o.kind} from ${o.deviceId}` : id.slice(0, 8)}</JumpLink>
                </Fragment>
              );
            })}
          </>
        )}
      </p>
    </li>
  );
}

function ObservationItem({ o, all }: { o: Observation; all: Observation[] }) {
  return (
    <li id={`obs-${o.id}`} class="obs" tabIndex={-1}>
      <p>
        <strong>{KIND_LABELS[o.kind] ?? o.kind}</strong> from {o.deviceId} at {clock(o.deviceTime)}
        {o.quality.status !== 'good' && (
          <span class="error">
            {' '}
            · quality {o.quality.status}: {(o.quality.reasons ?? []).join('; ')}
          </span>
        )}
      </p>
      {o.alarms.length > 0 && (
        <ul class="alarms">
          {o.alarms.map((a, i) => (
            <li key={i} class={a.level === 'alarm' ? 'alarm-text' : ''}>
              {a.category}: {a.message ?? ''}
            </li>
          ))}
        </ul>
      )}
      {o.kind === 'radiation.passage' && <PassageTrace passage={o as Observation<'radiation.passage'>} />}
      {o.kind === 'xray.scan' && <XrayThumb scan={o as Observation<'xray.scan'>} overlays={overlaysFor(o as Observation<'xray.scan'>, all)} />}
      {o.kind === 'weight' && (
        <p>
          gross {(o as Observation<'weight'>).payload.grossKg} kg{(o as Observation<'weight'>).payload.stable ? '' : ' (unstable)'}
        </p>
      )}
      {(o.raw ?? []).length > 0 && (
        <p>
          Raw files:{' '}
          {o.raw!.map((r) => (
            <RawLink key={r.sha256} raw={r} />
          ))}
        </p>
      )}
    </li>
  );
}

async function loadObservations(c: InspectionCase, embedded: Observation[] | null): Promise<Observation[]> {
  if (Array.isArray(embedded)) return embedded;
  const found = await Promise.allSettled(c.observationIds.map((id) => api.observation(id)));
  return found.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
}

/** One case; it reloads when the feed says the case changed (a late observation, a new score). */
export function CaseView({ id, store }: { id: string; store: Store }) {
  const [c, setCase] = useState<InspectionCase | null>(null);
  const [obs, setObs] = useState<Observation[]>([]);
  const [error, setError] = useState<string | null>(null);
  const load = async () => {
    try {
      const next = await api.case(id);
      setCase(next.case);
      setObs(await loadObservations(next.case, next.observations));
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  useEffect(() => {
    void load();
  }, [id]);
  useEffect(
    () =>
      store.feed.subscribe((item) => {
        if (item.type === 'case' && item.case.id === id) void load();
      }),
    [id, store],
  );
  if (error)
    return (
      <main class="page">
        <h1>Case</h1>
        <p class="error" role="alert">
          {error}
        </p>
        <a href="#/cases">Back to cases</a>
      </main>
    );
  if (!c)
    return (
      <main class="page">
        <p class="muted">Loading case…</p>
      </main>
    );
  const byId = new Map(obs.map((o) => [o.id, o]));
  const reasons = [...(c.risk?.contributions ?? [])].sort((a, b) => b.score - a.score);
  return (
    <main class="page case" aria-labelledby="case-title">
      <p>
        <a href="#/cases">← All cases</a>
      </p>
      <h1 tabIndex={-1} id="case-title">
        <ChannelBadge channel={channelOf(c)} /> {conveyanceLabel(c.conveyance)} <span class="muted">lane {c.lane}</span>
      </h1>
      <p class="case-meta">
        {c.risk ? (
          <>
            score <strong>{c.risk.score}</strong> ({c.risk.policy}
            {c.risk.random ? ', random selection' : ''})
          </>
        ) : (
          'not scored yet'
        )}
        {' · '}state <strong data-testid="case-state">{c.state}</strong> · opened {dateTime(c.openedAt)}
        {c.closedAt && <> · closed {dateTime(c.closedAt)}</>}
        {c.declarationNumber && <> · declaration {c.declarationNumber}</>}
      </p>
      {(c.missingDevices ?? []).length > 0 && <p class="banner banner-bad">Expected but did not report: {c.missingDevices!.join(', ')}</p>}
      <div class="case-columns">
        <section aria-labelledby="reasons-title">
          <h2 id="reasons-title">Why this channel</h2>
          {reasons.length === 0 ? (
            <p class="muted">No risk indicators.</p>
          ) : (
            <ol class="reasons">
              {reasons.map((r, i) => (
                <Reason key={i} c={r} byId={byId} />
              ))}
            </ol>
          )}
          {(c.risk?.skipped ?? []).length > 0 && <p class="error">Scored without: {c.risk!.skipped.map((s) => `${s.scorer} (${s.reason})`).join('; ')}</p>}
          <CaseActions c={c} onChange={(next) => setCase(next)} />
          <CaseHistory id={c.id} version={`${c.state}/${c.outcome?.recordedAt ?? ''}/${c.referral?.at ?? ''}`} onChange={() => void load()} />
        </section>
        <section aria-labelledby="obs-title">
          <h2 id="obs-title">Observations ({c.observationIds.length})</h2>
          <ul class="observations">
            {obs.map((o) => (
              <ObservationItem key={o.id} o={o} all={obs} />
            ))}
          </ul>
          {obs.length < c.observationIds.length && <p class="muted">{c.observationIds.length - obs.length} observation(s) could not be loaded.</p>}
        </section>
      </div>
    </main>
  );
}
