import type { InspectionCase, Observation } from '@customs-hub/sdk';
import { newId } from '../pipeline/ids.js';
import { laneRules, type CorrelationConfig } from '../scoring/scoring-config.js';
import { gapMs, identifiersOf, spanOf, type Identifiers, type Span } from './observation-span.js';
import { notAConveyance } from './conveyance-reading.js';

/** A case as the correlator holds it while it can still change. */
export interface WorkingCase {
  case: InspectionCase;
  observations: Observation[];
  span: Span;
  devices: Set<string>;
  containers: Set<string>;
  plates: Set<string>;
  items: Set<string>;
  /** Hub clock (ms) of the last attach, and of the close: for the idle timeout and the late window. */
  lastActivityMs: number;
  closedAtMs: number | null;
  /** Feed seq of the opening observation, and how many observation ids are already stored. */
  firstSeq: number;
  persisted: number;
}

/** The observation joined `wc` (a new case when `opened`; a repeat of a reading already there when `duplicate`). */
export interface Assignment {
  wc: WorkingCase;
  opened: boolean;
  duplicate: boolean;
}
/** The observation takes part in correlation but belongs to no case; the reason is recorded with it. */
export interface Unassigned {
  wc: null;
  reason: string;
}

const S = 1000;

export interface CorrelatorSnapshot {
  watermarks: Record<string, number>;
  timing: Record<string, { offsetMs: number; n: number }>;
}

/**
 * Joins observations of one conveyance passing one lane into one case. Pure and in memory: the case
 * service persists and publishes what it decides. A device's consecutive repeat of the same vehicle joins
 * first; then identity (container, plate, item id); then the case in time that has not yet heard from this
 * device and read no other vehicle; otherwise a new case. Readings of two different vehicles never share one.
 */
export class Correlator {
  private readonly byLane = new Map<string, WorkingCase[]>();
  private readonly watermarks = new Map<string, number>();
  /** Per lane and device: how long after a conveyance's first observation that device usually reports (ms, averaged). */
  private readonly timing = new Map<string, { offsetMs: number; n: number }>();

  /**
   * `excused(deviceId)`: a device in maintenance or disabled is expected to be silent — it is neither
   * waited for nor reported missing.
   */
  constructor(
    private config: CorrelationConfig,
    private readonly checkpoint: string,
    private readonly excused: (deviceId: string) => boolean = () => false,
  ) {}

  /** Takes the rules of a reloaded config (a lane's devices changed): open cases wait for the new devices. */
  reconfigure(config: CorrelationConfig): void {
    this.config = config;
  }

  /** Every case held in memory (open, or closed and still taking late observations). */
  get cases(): WorkingCase[] {
    return [...this.byLane.values()].flat();
  }

  participates(o: Observation): boolean {
    return this.config.kinds.includes(o.kind) && (o.lane === null || laneRules(this.config, o.lane).cases);
  }

  /** The correlator's knowledge beyond its cases: each lane's clock and the devices' learned timing. */
  snapshot(): CorrelatorSnapshot {
    return { watermarks: Object.fromEntries(this.watermarks), timing: Object.fromEntries([...this.timing].map(([k, v]) => [k, { ...v }])) };
  }

  /** Takes back a snapshot (after a restart), before the open cases are restored. */
  restoreSnapshot(s: CorrelatorSnapshot): void {
    for (const [lane, mark] of Object.entries(s.watermarks ?? {})) this.watermarks.set(lane, mark);
    for (const [key, t] of Object.entries(s.timing ?? {})) this.timing.set(key, { ...t });
  }

  /** Puts a stored case back in memory (after a restart), rebuilt from its observations. */
  restore(stored: InspectionCase, observations: Observation[], firstSeq: number, nowMs: number): WorkingCase {
    const first = observations[0];
    const span = first ? this.span(first) : { start: Date.parse(stored.openedAt), end: Date.parse(stored.openedAt) };
    const wc: WorkingCase = {
      case: { ...stored, observationIds: [], conveyance: { containers: [], plates: [] } },
      observations: [],
      span,
      devices: new Set(),
      containers: new Set(),
      plates: new Set(),
      items: new Set(),
      lastActivityMs: nowMs,
      closedAtMs: stored.state === 'open' ? null : nowMs,
      firstSeq,
      persisted: observations.length,
    };
    for (const o of observations) this.attach(wc, o, this.span(o), nowMs);
    this.laneCases(stored.lane).push(wc);
    return wc;
  }

  /** Where an observation goes: a case, no case (with the reason), or null when it does not take part at all. */
  assign(o: Observation, nowMs: number): Assignment | Unassigned | null {
    if (!this.participates(o)) return null;
    const span = this.span(o);
    const ids = identifiersOf(o);
    const not = notAConveyance(o, this.config);
    if (not) return { wc: null, reason: not };
    if (o.lane === null) {
      // A handheld instrument has no lane: it joins a case only by the container, plate or item it names.
      const wc = this.byIdentity(this.cases, ids, span, Infinity);
      if (!wc)
        return {
          wc: null,
          reason: hasIds(ids)
            ? `no case of the last ${this.config.identityWindowS} s names ${describe(ids)}`
            : 'a reading without a lane names no container, plate or item',
        };
      return { wc: this.attach(wc, o, span, nowMs), opened: false, duplicate: false };
    }
    this.advanceWatermark(o, span);
    const candidates = this.laneCases(o.lane);
    const corrected = this.correctionOf(candidates, o);
    if (corrected) {
      this.attach(corrected, o, span, nowMs);
      this.rebuildConveyance(corrected);
      return { wc: corrected, opened: false, duplicate: true };
    }
    const repeat = this.repeatOf(candidates, o, ids, span);
    if (repeat) return { wc: this.attach(repeat, o, span, nowMs), opened: false, duplicate: true };
    const windowMs = laneRules(this.config, o.lane).windowS * S;
    const wc = this.byIdentity(candidates, ids, span, windowMs) ?? this.byTime(candidates, o, ids, span);
    if (wc) return { wc: this.attach(wc, o, span, nowMs), opened: false, duplicate: false };
    const opened = this.open(o, span);
    candidates.push(opened);
    return { wc: this.attach(opened, o, span, nowMs), opened: true, duplicate: false };
  }

  /** Learns each device's usual delay in the lane from a complete case (vehicles pass devices in order). */
  learnTiming(wc: WorkingCase, observations: Observation[] = wc.observations): void {
    const firstOf = new Set<string>();
    for (const o of observations) {
      if (o.lane === null || firstOf.has(o.deviceId)) continue;
      firstOf.add(o.deviceId);
      const key = `${wc.case.lane}\u0000${o.deviceId}`;
      const offset = this.span(o).start - wc.span.start;
      const t = this.timing.get(key);
      if (!t) this.timing.set(key, { offsetMs: offset, n: 1 });
      else {
        t.n++;
        t.offsetMs += (offset - t.offsetMs) / Math.min(t.n, 20);
      }
    }
  }

  /** The case has heard from every device its lane expects. */
  isComplete(wc: WorkingCase): boolean {
    const expected = this.expected(wc.case.lane);
    return expected.length > 0 && expected.every((d) => wc.devices.has(d));
  }

  missingDevices(wc: WorkingCase): string[] {
    return this.expected(wc.case.lane).filter((d) => !wc.devices.has(d));
  }

  /** The devices a case of this lane waits for now (the config after reloads, less excused devices). */
  expected(lane: string): string[] {
    return laneRules(this.config, lane).expectedDevices.filter((d) => !this.excused(d));
  }

  /** Open cases whose time is up: the lane's clock moved past them, or nothing arrived for a while. */
  timedOut(nowMs: number): WorkingCase[] {
    return this.cases.filter((wc) => {
      if (wc.case.state !== 'open') return false;
      const limit = laneRules(this.config, wc.case.lane).closeAfterS * S;
      const mark = this.watermarks.get(wc.case.lane) ?? -Infinity;
      return mark - wc.span.end > limit || nowMs - wc.lastActivityMs > limit;
    });
  }

  /** Drops closed cases past the late window; they are final now. */
  evict(nowMs: number): number {
    let dropped = 0;
    for (const [lane, list] of this.byLane) {
      const keep = list.filter((wc) => wc.closedAtMs === null || nowMs - wc.closedAtMs <= this.config.lateS * S);
      dropped += list.length - keep.length;
      this.byLane.set(lane, keep);
    }
    return dropped;
  }

  private span(o: Observation): Span {
    return spanOf(o, this.config.clockOffsetS[o.deviceId] ?? 0);
  }

  private laneCases(lane: string): WorkingCase[] {
    let list = this.byLane.get(lane);
    if (!list) this.byLane.set(lane, (list = []));
    return list;
  }

  /** The lane clock: the latest device time seen, ignoring clocks that run ahead of the hub. */
  private advanceWatermark(o: Observation, span: Span): void {
    if (span.end - Date.parse(o.receivedAt) > this.config.maxFutureS * S) return;
    const lane = o.lane!;
    if (span.end > (this.watermarks.get(lane) ?? -Infinity)) this.watermarks.set(lane, span.end);
  }

  /** The case holding the reading this one corrects (a reader's UPDATE after NEW names it in `replaces`). */
  private correctionOf(candidates: WorkingCase[], o: Observation): WorkingCase | null {
    const replaces = replacedBy(o);
    if (replaces === undefined) return null;
    return candidates.find((c) => c.observations.some((x) => x.deviceId === o.deviceId && (x.sourceId === replaces || replacedBy(x) === replaces))) ?? null;
  }

  /** The case's identifiers again, from its readings less those a later correction replaced. */
  private rebuildConveyance(wc: WorkingCase): void {
    const superseded = new Set<string>();
    const latest = new Map<string, Observation>();
    for (const x of wc.observations) {
      const key = replacedBy(x) ?? x.sourceId;
      if (key === undefined) continue;
      const k = `${x.deviceId}\u0000${key}`;
      const prior = latest.get(k);
      if (prior) superseded.add(prior.id);
      latest.set(k, x);
    }
    wc.containers.clear();
    wc.plates.clear();
    wc.items.clear();
    wc.case.conveyance = { containers: [], plates: [] };
    for (const x of wc.observations) if (!superseded.has(x.id)) this.addIdentifiers(wc, x);
  }

  /**
   * A device saying again what it just said about the same vehicle (a gate re-reading a container, a
   * polled indicator while the truck stands on the deck). Only the case this device reported to last,
   * only within `duplicateS` of its previous reading (anchored there, so a stream never chains past the
   * lane window into one case), and only when nothing says it is another vehicle.
   */
  private repeatOf(candidates: WorkingCase[], o: Observation, ids: Identifiers, span: Span): WorkingCase | null {
    let last: { wc: WorkingCase; x: Observation; xs: Span } | null = null;
    for (const wc of candidates) {
      if (!wc.devices.has(o.deviceId)) continue;
      for (const x of wc.observations) {
        if (x.deviceId !== o.deviceId || x.kind !== o.kind) continue;
        const xs = this.span(x);
        if (!last || xs.start > last.xs.start) last = { wc, x, xs };
      }
    }
    if (!last) return null;
    if (o.sourceId !== undefined && last.x.sourceId === o.sourceId) return last.wc;
    if (gapMs(last.xs, span) > this.config.duplicateS * S) return null;
    const first = last.wc.observations.find((x) => x.deviceId === o.deviceId && x.kind === o.kind)!;
    if (span.end - this.span(first).start > laneRules(this.config, o.lane!).windowS * S) return null;
    return sameVehicle(identifiersOf(last.x), ids) && !conflicts(last.wc, ids) ? last.wc : null;
  }

  /**
   * A case that read the same container, plate or item. A plate or item joins two different containers
   * (a twin-20-ft truck: two boxes, one plate) only within the lane window; further apart it is the same
   * truck on another trip.
   */
  private byIdentity(candidates: WorkingCase[], ids: Identifiers, span: Span, windowMs: number): WorkingCase | null {
    if (!hasIds(ids)) return null;
    const limit = this.config.identityWindowS * S;
    return nearest(
      candidates.filter((c) => {
        const gap = gapMs(c.span, span);
        if (gap > limit) return false;
        if (ids.containers.some((n) => c.containers.has(n))) return !platesDiffer(c, ids);
        const vehicle = ids.plates.some((p) => c.plates.has(p)) || ids.items.some((i) => c.items.has(i));
        return vehicle && (!containersDiffer(c, ids) || gap <= windowMs);
      }),
      span,
    );
  }

  /**
   * Cases in the window that have not heard from this device. Once the lane's timing is learned, the case
   * whose start is the device's usual delay before this reading wins (two trucks close together, a truck
   * whose reading went missing); until then the nearest in time.
   */
  private byTime(candidates: WorkingCase[], o: Observation, ids: Identifiers, span: Span): WorkingCase | null {
    const limit = laneRules(this.config, o.lane!).windowS * S;
    const open = candidates.filter((c) => !c.devices.has(o.deviceId) && gapMs(c.span, span) <= limit && !conflicts(c, ids));
    const timing = this.timing.get(`${o.lane}\u0000${o.deviceId}`);
    if (!timing || timing.n < 3) return nearest(open, span);
    let best: WorkingCase | null = null;
    let bestMiss = Infinity;
    for (const c of open) {
      const miss = Math.abs(span.start - c.span.start - timing.offsetMs);
      if (miss < bestMiss) {
        best = c;
        bestMiss = miss;
      }
    }
    return best;
  }

  private open(o: Observation, span: Span): WorkingCase {
    return {
      case: {
        schema: 'inspection-case/v1',
        id: newId(),
        checkpoint: this.checkpoint,
        lane: o.lane!,
        state: 'open',
        openedAt: o.receivedAt,
        observationIds: [],
        conveyance: { containers: [], plates: [] },
      },
      observations: [],
      span: { ...span },
      devices: new Set(),
      containers: new Set(),
      plates: new Set(),
      items: new Set(),
      lastActivityMs: 0,
      closedAtMs: null,
      firstSeq: o.seq,
      persisted: 0,
    };
  }

  private attach(wc: WorkingCase, o: Observation, span: Span, nowMs: number): WorkingCase {
    wc.observations.push(o);
    wc.case.observationIds.push(o.id);
    if (o.lane !== null) wc.devices.add(o.deviceId);
    wc.span = { start: Math.min(wc.span.start, span.start), end: Math.max(wc.span.end, span.end) };
    this.addIdentifiers(wc, o);
    wc.case.window = { start: new Date(wc.span.start).toISOString(), end: new Date(wc.span.end).toISOString() };
    wc.lastActivityMs = nowMs;
    return wc;
  }

  private addIdentifiers(wc: WorkingCase, o: Observation): void {
    const conveyance = wc.case.conveyance!;
    for (const c of o.conveyance.containers) {
      if (!wc.containers.has(c.number)) {
        wc.containers.add(c.number);
        conveyance.containers.push({ ...c });
      }
    }
    for (const p of o.conveyance.plates) {
      if (!wc.plates.has(p.number)) {
        wc.plates.add(p.number);
        conveyance.plates.push({ ...p });
      }
    }
    if (o.conveyance.itemId !== undefined && !wc.items.has(o.conveyance.itemId)) {
      wc.items.add(o.conveyance.itemId);
      conveyance.itemId ??= o.conveyance.itemId;
    }
  }
}

/** The sourceId of the reading an observation corrects, if it is a correction. */
function replacedBy(o: Observation): string | undefined {
  return (o as Observation & { replaces?: string }).replaces;
}

function hasIds(ids: Identifiers): boolean {
  return ids.containers.length > 0 || ids.plates.length > 0 || ids.items.length > 0;
}

function describe(ids: Identifiers): string {
  return [...ids.containers, ...ids.plates, ...ids.items].join(', ');
}

/** One character apart: an OCR misread of the same number, not another conveyance. */
function sameish(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length && d < 2; i++) if (a[i] !== b[i]) d++;
  return d < 2;
}

/** Both read some of this identifier and none is the same, allowing for a misread character. */
function disjoint(seen: Set<string>, read: string[]): boolean {
  return seen.size > 0 && read.length > 0 && !read.some((x) => [...seen].some((y) => sameish(x, y)));
}

const containersDiffer = (c: WorkingCase, ids: Identifiers) => disjoint(c.containers, ids.containers);
const platesDiffer = (c: WorkingCase, ids: Identifiers) => disjoint(c.plates, ids.plates) || disjoint(c.items, ids.items);

/**
 * Another conveyance. A different plate (or item id) always is. Different containers are, unless the
 * reading also names the case's plate or item: a twin-20-ft truck carries two boxes under one plate.
 */
function conflicts(c: WorkingCase, ids: Identifiers): boolean {
  if (platesDiffer(c, ids)) return true;
  const vehicle = ids.plates.some((p) => c.plates.has(p)) || ids.items.some((i) => c.items.has(i));
  return containersDiffer(c, ids) && !vehicle;
}

/** Two readings of one device that could be of the same vehicle: no identifier, or one in common. */
function sameVehicle(a: Identifiers, b: Identifiers): boolean {
  if (!hasIds(a) && !hasIds(b)) return true;
  const shared = (x: string[], y: string[]) => x.some((n) => y.some((m) => sameish(n, m)));
  return shared(a.containers, b.containers) || shared(a.plates, b.plates) || shared(a.items, b.items);
}

/** The case nearest in time; among overlapping ones, the one that started closest to the reading. */
function nearest(list: WorkingCase[], span: Span): WorkingCase | null {
  let best: WorkingCase | null = null;
  let bestKey = [Infinity, Infinity];
  for (const c of list) {
    const key = [gapMs(c.span, span), Math.abs(span.start - c.span.start)];
    if (key[0]! < bestKey[0]! || (key[0] === bestKey[0] && key[1]! < bestKey[1]!)) {
      best = c;
      bestKey = key;
    }
  }
  return best;
}
