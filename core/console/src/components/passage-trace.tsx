import type { Observation } from '@customs-hub/sdk';
import { useEffect, useState } from 'preact/hooks';
import { fetchRaw } from '../api.js';
import { passageTraces, type Trace } from '../logic/passage-samples.js';
import { TraceChart } from './trace-chart.js';

/** The RPM passage as charts: gamma (and neutron) count rate over the occupancy. */
export function PassageTrace({ passage }: { passage: Observation<'radiation.passage'> }) {
  const p = passage.payload;
  const samples = passage.raw?.find((r) => r.role === 'samples');
  const [traces, setTraces] = useState<{ gamma: Trace | null; neutron: Trace | null } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    setTraces(null);
    if (!samples) {
      setNote('the device sent no sample series for this passage');
      return;
    }
    let live = true;
    fetchRaw(samples.sha256)
      .then((b) => b.text())
      .then(
        (csv) => {
          if (live) setTraces(passageTraces(csv, p));
        },
        (err: Error) => {
          if (live) setNote(`sample series unavailable: ${err.message}`);
        },
      );
    return () => {
      live = false;
    };
  }, [passage.id]);
  const gammaAlarm = p.hubAlarm.gamma || p.deviceAlarm.gamma;
  const neutronAlarm = p.hubAlarm.neutron || p.deviceAlarm.neutron;
  return (
    <div class="passage">
      <p class="passage-summary">
        <span class={gammaAlarm ? 'alarm-text' : ''}>
          gamma {p.gamma.maxSigma} σ{p.gamma.threshold ? ` of ${p.gamma.threshold} σ` : ''}
          {gammaAlarm ? ' — ALARM' : ''}
        </span>
        {p.neutron && (
          <span class={neutronAlarm ? 'alarm-text' : ''}>
            {' '}
            · neutron {p.neutron.maxSigma}
            {p.neutron.threshold ? ` of ${p.neutron.threshold}` : ''}
            {neutronAlarm ? ' — ALARM' : ''}
          </span>
        )}
        {p.hubAlarm.norm && <span> · NORM likely (window ratio)</span>}
        {p.speedKmh !== undefined && <span class="muted"> · {p.speedKmh} km/h</span>}
        {p.durationS !== undefined && <span class="muted"> · {p.durationS} s</span>}
      </p>
      {traces?.gamma && <TraceChart trace={traces.gamma} label="gamma" color="#1565c0" />}
      {traces?.neutron && <TraceChart trace={traces.neutron} label="neutron" color="#6a1b9a" height={100} />}
      {!traces && <p class="muted">{note ?? 'loading samples…'}</p>}
    </div>
  );
}
