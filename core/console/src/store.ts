import { useEffect, useState } from 'preact/hooks';
import type { DeviceStatus, InspectionCase, Observation } from '@customs-hub/sdk';
import { api, type CheckpointInfo } from './api.js';
import { LiveFeed, type FeedItem, type FeedState } from './feed.js';

const PER_LANE = 200;
const BACKFILL = 3000;
const LATEST_WITHIN_MS = 6 * 3600_000;
const NO_LANE = '(no lane)';

/** What the pages show, kept current by the live feed; pages re-render on every change. */
export class Store {
  checkpoint: CheckpointInfo | null = null;
  readonly devices = new Map<string, DeviceStatus>();
  readonly byLane = new Map<string, Observation[]>();
  readonly cases = new Map<string, InspectionCase>();
  /** Accepted observations per minute by device, between the last two polls. */
  readonly perMinute = new Map<string, number>();
  private readonly polled = new Map<string, { at: number; accepted: number }>();
  feedState: FeedState = 'stopped';
  lastSeq = 0;
  error: string | null = null;
  readonly feed = new LiveFeed();
  private readonly listeners = new Set<() => void>();
  private pendingNotify = false;

  async load(): Promise<void> {
    this.feed.onState((s) => {
      this.feedState = s;
      this.changed();
    });
    this.feed.subscribe((item) => this.apply(item));
    // The recent past comes from replaying the feed's last records; then it stays live.
    const head = await api.feedHead().catch(() => 0);
    this.feed.start(Math.max(0, head - BACKFILL));
    const results = await Promise.allSettled([
      api.config().then((c) => {
        this.checkpoint = c;
        return this.loadLatestPerLane();
      }),
      this.refreshDevices(),
      this.refreshCases(),
    ]);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    this.error = failed.length ? failed.map((f) => (f.reason as Error).message).join('; ') : null;
    this.changed();
  }

  /** The last passage and scan of each lane even when the replayed feed is too short to hold them (a quiet lane). */
  private async loadLatestPerLane(): Promise<void> {
    const from = new Date(Date.now() - LATEST_WITHIN_MS).toISOString();
    await Promise.all(
      (this.checkpoint?.lanes ?? []).flatMap((l) =>
        ['radiation.passage', 'xray.scan'].map(async (kind) => {
          const found = await api.observations({ lane: l.id, kind, from, limit: 1000 });
          for (const o of found.slice(-3)) this.addObservation(o);
        }),
      ),
    );
  }

  async refreshCases(): Promise<void> {
    for (const c of await api.cases({ limit: 300 })) this.cases.set(c.id, c);
    this.changed();
  }

  /** Fresh statuses from the hub; throughput is the change of the accepted counter between two polls. */
  async refreshDevices(): Promise<void> {
    const now = Date.now();
    for (const d of await api.devices()) {
      this.devices.set(d.deviceId, d);
      const accepted = d.counters?.accepted ?? 0;
      const prev = this.polled.get(d.deviceId);
      if (prev && now - prev.at >= 1000) this.perMinute.set(d.deviceId, (Math.max(0, accepted - prev.accepted) * 60_000) / (now - prev.at));
      this.polled.set(d.deviceId, { at: now, accepted });
    }
    this.changed();
  }

  stop(): void {
    this.feed.stop();
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  }

  lanes(): Array<{ id: string; name: string; type?: string; deviceIds: string[] }> {
    const configured = this.checkpoint?.lanes ?? [];
    const lanes = configured.map((l) => ({
      id: l.id,
      name: l.name ?? l.id,
      type: l.type,
      deviceIds: l.devices.map((d) => (typeof d === 'string' ? d : d.id)),
    }));
    // Lanes only known from devices or observations still get a card.
    const known = new Set(lanes.map((l) => l.id));
    for (const d of this.devices.values()) {
      if (d.lane && !known.has(d.lane)) {
        known.add(d.lane);
        lanes.push({ id: d.lane, name: d.lane, type: undefined, deviceIds: [] });
      }
    }
    for (const l of lanes) {
      for (const d of this.devices.values()) if (d.lane === l.id && !l.deviceIds.includes(d.deviceId)) l.deviceIds.push(d.deviceId);
    }
    return lanes;
  }

  observations(lane: string): Observation[] {
    return this.byLane.get(lane) ?? [];
  }

  private apply(item: FeedItem): void {
    this.lastSeq = Math.max(this.lastSeq, item.seq);
    if (item.type === 'observation') this.addObservation(item.observation);
    else if (item.type === 'device-status') {
      // The replayed feed holds older statuses than the last poll; keep the newest.
      const known = this.devices.get(item.status.deviceId);
      if (known && known.updatedAt > item.status.updatedAt) return;
      this.devices.set(item.status.deviceId, { ...item.status, counters: item.status.counters ?? known?.counters });
    } else if (item.type === 'case') this.cases.set(item.case.id, item.case);
    else return;
    this.changed();
  }

  private addObservation(o: Observation): void {
    const lane = o.lane ?? NO_LANE;
    const list = this.byLane.get(lane) ?? [];
    if (list.some((x) => x.id === o.id)) return;
    list.push(o);
    list.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
    if (list.length > PER_LANE) list.splice(0, list.length - PER_LANE);
    this.byLane.set(lane, list);
  }

  // Feed bursts (hundreds of records) re-render once per frame, not once per record.
  private changed(): void {
    if (this.pendingNotify) return;
    this.pendingNotify = true;
    requestAnimationFrame(() => {
      this.pendingNotify = false;
      for (const fn of this.listeners) fn();
    });
  }
}

/** Re-renders the calling component whenever the store changes. */
export function useStore(store: Store): Store {
  const [, setTick] = useState(0);
  useEffect(() => store.subscribe(() => setTick((t) => t + 1)), [store]);
  return store;
}
