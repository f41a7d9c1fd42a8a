import type { Channel, InspectionCase } from '@customs-hub/sdk';
import type { OutcomesReport } from '../scoring/outcomes-report.js';
import { RISKY_KINDS, type Delivery, type DeliveryKind } from './traffic.js';

/** Which delivery and which device (ocr, rpm…) an observation came from. */
export interface Owner {
  delivery: number;
  device: string;
}

export interface KindTally {
  deliveries: number;
  green: number;
  yellow: number;
  red: number;
}

export interface ScenarioResult {
  deliveries: number;
  observations: number;
  cases: number;
  byKind: Record<DeliveryKind, KindTally>;
  risky: { deliveries: number; flagged: number };
  clean: { deliveries: number; flagged: number };
  /** Deliveries whose observations ended up in more than one case, or sharing a case with another delivery. */
  correlation: { split: number; merged: number; misplacedByDevice: Record<string, number> };
  latencyMs: { median: number; p95: number; cases: number };
  /** The strongest reason on each flagged clean delivery, and on each risky one missed, counted by code. */
  falseAlarmReasons: Record<string, number>;
  missed: Record<string, number>;
  /** The outcomes report after every referred case was inspected (the truth known from the generator). */
  outcomes?: OutcomesReport;
  elapsedMs: number;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
}

/** Which channel each delivery got (the case holding its plate reading), and how well cases matched trucks. */
export function evaluate(
  deliveries: Delivery[],
  cases: InspectionCase[],
  owner: Map<string, Owner>,
  latencies: number[],
  elapsedMs: number,
  observations: number,
): ScenarioResult {
  const caseOf = new Map<string, InspectionCase>();
  for (const c of cases) for (const id of c.observationIds) caseOf.set(id, c);
  const casesOfDelivery = new Map<number, Set<string>>();
  const deliveriesOfCase = new Map<string, Set<number>>();
  for (const [obsId, { delivery }] of owner) {
    const c = caseOf.get(obsId);
    if (!c) continue;
    (casesOfDelivery.get(delivery) ?? casesOfDelivery.set(delivery, new Set()).get(delivery)!).add(c.id);
    (deliveriesOfCase.get(c.id) ?? deliveriesOfCase.set(c.id, new Set()).get(c.id)!).add(delivery);
  }
  const byId = new Map(cases.map((c) => [c.id, c]));
  const byKind = {} as Record<DeliveryKind, KindTally>;
  const result: ScenarioResult = {
    deliveries: deliveries.length,
    observations,
    cases: cases.length,
    byKind,
    risky: { deliveries: 0, flagged: 0 },
    clean: { deliveries: 0, flagged: 0 },
    correlation: { split: 0, merged: 0, misplacedByDevice: {} },
    latencyMs: { median: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), cases: latencies.length },
    elapsedMs,
    falseAlarmReasons: {},
    missed: {},
  };
  // An observation is misplaced when its case is not the case holding its delivery's plate reading.
  const anchor = new Map<number, string>();
  for (const [obsId, o] of owner) if (o.device === 'ocr' && caseOf.get(obsId)) anchor.set(o.delivery, caseOf.get(obsId)!.id);
  for (const [obsId, o] of owner) {
    if (caseOf.get(obsId)?.id !== anchor.get(o.delivery))
      result.correlation.misplacedByDevice[o.device] = (result.correlation.misplacedByDevice[o.device] ?? 0) + 1;
  }
  for (const d of deliveries) {
    const ids = [...(casesOfDelivery.get(d.id) ?? [])];
    if (ids.length > 1) result.correlation.split++;
    if (ids.some((id) => deliveriesOfCase.get(id)!.size > 1)) result.correlation.merged++;
    // The delivery's channel: the most severe over its cases (a split case still sends the truck to a check).
    const channels = ids.map((id) => byId.get(id)!.channel ?? 'green');
    const channel: Channel = channels.includes('red') ? 'red' : channels.includes('yellow') ? 'yellow' : 'green';
    const t = (byKind[d.kind] ??= { deliveries: 0, green: 0, yellow: 0, red: 0 });
    t.deliveries++;
    t[channel]++;
    const risky = RISKY_KINDS.includes(d.kind);
    const bucket = risky ? result.risky : result.clean;
    bucket.deliveries++;
    if (channel !== 'green') bucket.flagged++;
    if (!risky && channel !== 'green') {
      const top = ids.flatMap((id) => byId.get(id)!.risk?.contributions ?? []).sort((a, b) => b.score - a.score)[0];
      const code = ids.some((id) => byId.get(id)!.risk?.random) ? 'random selection' : (top?.code ?? 'none');
      result.falseAlarmReasons[code] = (result.falseAlarmReasons[code] ?? 0) + 1;
    }
    if (risky && channel === 'green') result.missed[d.kind] = (result.missed[d.kind] ?? 0) + 1;
  }
  return result;
}
