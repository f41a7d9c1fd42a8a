import type { RadiationPassagePayload } from '@customs-hub/sdk';

export interface Trace {
  t: number[];
  cps: number[];
  background: number | null;
  threshold: number | null;
}

/** Parses the RPM passage sample CSV (t_s,channel,state,p1..pN) into count-rate traces, all panels summed. */
export function passageTraces(csv: string, p: RadiationPassagePayload): { gamma: Trace | null; neutron: Trace | null } {
  const g: Array<[number, number]> = [],
    n: Array<[number, number]> = [];
  for (const line of csv.split(/\r?\n/).slice(1)) {
    const cells = line.split(',');
    if (cells.length < 4) continue;
    const t = Number(cells[0]);
    const sum = cells.slice(3).reduce((a, c) => a + (Number(c) || 0), 0);
    if (cells[1] === 'G') g.push([t, sum]);
    else if (cells[1] === 'N') n.push([t, sum]);
  }
  return { gamma: gammaTrace(g, p), neutron: neutronTrace(n, p) };
}

function intervalOf(rows: Array<[number, number]>, fallback: number): number {
  return rows.length > 1 ? Math.max(1e-3, rows[1]![0] - rows[0]![0]) : fallback;
}

function gammaTrace(rows: Array<[number, number]>, p: RadiationPassagePayload): Trace | null {
  if (rows.length === 0) return null;
  const dt = p.sampleIntervalS ?? intervalOf(rows, 0.2);
  const bgPerSample = p.gamma.background.reduce((a, b) => a + b, 0);
  let threshold: number | null = null;
  if (bgPerSample > 0 && p.gamma.threshold) {
    // The alarm integrates ~1 s: BG + N·√BG over the window, drawn as a rate.
    const win = Math.max(1, Math.round(1 / dt));
    const bgWin = bgPerSample * win;
    threshold = (bgWin + p.gamma.threshold * Math.sqrt(bgWin)) / (win * dt);
  }
  return { t: rows.map((r) => r[0]), cps: rows.map((r) => r[1] / dt), background: bgPerSample > 0 ? bgPerSample / dt : null, threshold };
}

function neutronTrace(rows: Array<[number, number]>, p: RadiationPassagePayload): Trace | null {
  if (rows.length === 0 || !p.neutron) return null;
  const dt = intervalOf(rows, 1);
  const bgPerSample = p.neutron.background.reduce((a, b) => a + b, 0);
  return {
    t: rows.map((r) => r[0]),
    cps: rows.map((r) => r[1] / dt),
    background: bgPerSample > 0 ? bgPerSample / dt : null,
    threshold: p.neutron.threshold ?? null,
  };
}
