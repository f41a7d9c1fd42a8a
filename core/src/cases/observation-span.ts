import type { Observation } from '@customs-hub/sdk';

/** When an observation saw its conveyance, in ms of (offset-corrected) device time. */
export interface Span {
  start: number;
  end: number;
}

function ms(iso: string | undefined, fallback: number): number {
  if (iso === undefined) return fallback;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? fallback : t;
}

/** An RPM passage spans its occupancy, an X-ray scan its scan; anything else is a moment. */
export function spanOf(o: Observation, offsetS = 0): Span {
  const at = ms(o.deviceTime, Date.parse(o.receivedAt));
  let start = at;
  let end = at;
  if (o.kind === 'radiation.passage') {
    const p = o.payload as { occupancyStart: string; occupancyEnd: string };
    start = ms(p.occupancyStart, at);
    end = ms(p.occupancyEnd, at);
  } else if (o.kind === 'xray.scan') {
    const p = o.payload as { startedAt?: string; endedAt?: string };
    start = ms(p.startedAt, at);
    end = ms(p.endedAt, at);
  }
  if (end < start) [start, end] = [end, start];
  const shift = offsetS * 1000;
  return { start: start - shift, end: end - shift };
}

/** Device-time distance between two spans; 0 when they overlap. */
export function gapMs(a: Span, b: Span): number {
  return Math.max(0, a.start - b.end, b.start - a.end);
}

/** What an observation says about which conveyance it saw. */
export interface Identifiers {
  containers: string[];
  plates: string[];
  items: string[];
}

/** Container numbers, plates and the item id (a bag tag, an air waybill, a gate's transaction) an observation read. */
export function identifiersOf(o: Observation): Identifiers {
  return {
    containers: o.conveyance.containers.map((c) => c.number),
    plates: o.conveyance.plates.map((p) => p.number),
    items: o.conveyance.itemId === undefined ? [] : [o.conveyance.itemId],
  };
}
