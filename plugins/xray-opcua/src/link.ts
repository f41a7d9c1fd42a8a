import { createHash } from 'node:crypto';
import { NodeId, type ClientSubscription, type DataValue } from 'node-opcua';
import type { DriverContext } from '@customs-hub/sdk';
import type { ResolvedConfig } from './config.js';
import type { Connection } from './connection.js';
import type { HistoryCursor } from './history-cursor.js';
import { readHistory } from './history-read.js';
import { listHistory } from './history.js';
import { resolveExpandedNodeId } from './node-ids.js';
import { decodeRecord, type ScanRecord } from './scan-decode.js';
import { instanceTime, ScanProcessor, type ScanSource, type Tally } from './scan-processor.js';
import { readScan } from './scan-reader.js';
import { ScannerStatus } from './scanner-status.js';
import type { SeenStore } from './seen-store.js';
import { subscribeScanner, type WatchedName, type WatchedNodes } from './subscription.js';
import { asString } from './values.js';

/** History reads an announced scan id may be absent from before it is reported missing. */
const ID_CHECKS = 3;

/** What LastScan (or one of its historized values) holds: a scan node, a whole scan record, or a scan id. */
type Announcement = { kind: 'node'; node: NodeId } | { kind: 'record'; text: string } | { kind: 'id'; id: string };

function announcement(v: unknown): Announcement | null {
  if (v instanceof NodeId) return v.isEmpty() ? null : { kind: 'node', node: v };
  if (typeof v !== 'string' || v.trim().length === 0) return null;
  return v.trimStart().startsWith('{') ? { kind: 'record', text: v } : { kind: 'id', id: v.trim() };
}

/**
 * One connected session with the scanner: subscribes, recovers missed scans from the history (folder,
 * HistoryRead or none), and watches the subscription. Runs until the connection is lost or the driver stops.
 */
export class ScannerLink {
  private subscription: ClientSubscription | null = null;
  private lastData = 0;
  private resyncing: Promise<void> | null = null;
  private resyncAgain = false;
  /** Scans LastScan announced (nodes, records), queued after the history read they triggered: oldest first. */
  private readonly announced: ScanSource[] = [];
  /** Scan ids LastScan announced that no history read has shown yet, with the reads so far. */
  private readonly pendingIds = new Map<string, number>();
  /** Subscriptions created on this link (1 + watchdog recreations). */
  subscriptions = 0;

  private constructor(
    private readonly ctx: DriverContext<unknown>,
    private readonly cfg: ResolvedConfig,
    private readonly conn: Connection,
    private readonly nodes: WatchedNodes & { history: NodeId | null },
    private readonly processor: ScanProcessor,
    private readonly seen: SeenStore,
    private readonly cursor: HistoryCursor | null,
    private readonly status: ScannerStatus,
    private readonly signal: AbortSignal,
  ) {}

  /** Resolves the configured nodes on this server and runs the link until it ends; returns why it ended. */
  static async run(
    ctx: DriverContext<unknown>,
    cfg: ResolvedConfig,
    conn: Connection,
    seen: SeenStore,
    cursor: HistoryCursor | null,
    status: ScannerStatus,
    tally: Tally,
    signal: AbortSignal,
  ): Promise<string> {
    const namespaces = await conn.session.readNamespaceArray();
    const n = cfg.nodes;
    const resolve = (id: string) => resolveExpandedNodeId(id, namespaces);
    const nodes = {
      status: resolve(n.status),
      statusMessage: resolve(n.statusMessage),
      lastScan: resolve(n.lastScan),
      heartbeat: resolve(n.heartbeat),
      history: cfg.historySource === 'folder' ? resolve(n.history) : null,
    };
    const local = new AbortController();
    const linkSignal = AbortSignal.any([signal, local.signal]);
    let link: ScannerLink | null = null;
    const processor = new ScanProcessor(ctx, cfg, seen, status, tally, cursor, linkSignal, () => link?.scheduleResync());
    link = new ScannerLink(ctx, cfg, conn, nodes, processor, seen, cursor, status, linkSignal);
    try {
      if (cfg.historySource === 'none')
        ctx.logger.warn(
          { endpointUrl: cfg.endpointUrl },
          'the scanner keeps no history (historySource none): scans made while the hub was not connected cannot be recovered',
        );
      // History first, so scans missed while away are queued before the one LastScan announces.
      link.resync();
      await link.resyncing;
      const missing = await link.subscribe();
      const note = missing.includes('status') ? `; the scanner has no status node (${n.status}): status unknown, taken as online` : '';
      ctx.status.ok(`connected to ${cfg.endpointUrl}${note}`);
      if (note) {
        ctx.logger.warn({ node: n.status }, 'status node not on the server; scanner status unknown, taken as online');
        const event = status.absent(`no status node ${n.status}`, ctx.clock.now());
        if (event)
          processor.run(async () => {
            await processor.emit(event);
          });
      }
      const aborted = new Promise<string>((resolve) => linkSignal.addEventListener('abort', () => resolve('stopped'), { once: true }));
      return await Promise.race([conn.lost, aborted, link.watchdog()]);
    } finally {
      local.abort();
      await link.resyncing;
      await processor.idle();
      // The session closes next anyway; a failed terminate is logged (the hub counts lines marked swallowed).
      await link.subscription
        ?.terminate()
        .catch((err: Error) => ctx.logger.warn({ swallowed: 'subscription.terminate', err: err.message }, 'subscription terminate failed'));
    }
  }

  private async subscribe(): Promise<WatchedName[]> {
    const { history: _history, ...watched } = this.nodes;
    const { subscription, missing } = await subscribeScanner(this.conn.session, watched, this.cfg.publishingIntervalMs, (name, value) =>
      this.onChange(name, value),
    );
    this.subscription = subscription;
    this.subscriptions++;
    this.lastData = this.ctx.clock.now().getTime();
    return missing;
  }

  private onChange(name: WatchedName, value: DataValue): void {
    this.lastData = this.ctx.clock.now().getTime();
    if (name === 'statusMessage') this.status.setMessage(asString(value) ?? '');
    else if (name === 'status') {
      const s = asString(value);
      const event = s ? this.status.update(s, this.ctx.clock.now()) : null;
      if (event)
        this.processor.run(async () => {
          await this.processor.emit(event);
        });
    } else if (name === 'lastScan') {
      const a = announcement(value.statusCode.isGood() ? value.value?.value : undefined);
      if (!a) return;
      // Read the history first, because a server that samples LastScan may fold several quick announcements
      // into one notification; then the announced scan itself (a node or a record), should the history lack it.
      if (a.kind === 'id') {
        if (!this.seen.hasId(a.id) && !this.pendingIds.has(a.id)) this.pendingIds.set(a.id, 0);
      } else {
        // No cursor: only what a history read returned moves it (a notification may run ahead of unread history).
        this.announced.push(this.source(a, undefined, true));
      }
      this.resync();
    }
  }

  /** How to read an announced or historized scan. */
  private source(a: Exclude<Announcement, { kind: 'id' }>, sourceTime: Date | undefined, announced: boolean): ScanSource {
    const cursor = this.cfg.historySource === 'historyRead' && sourceTime ? { cursor: sourceTime } : {};
    if (a.kind === 'node') {
      return { key: `node:${a.node.toString()}`, announced, ...cursor, load: () => readScan(this.conn.session, a.node, this.cfg.mapping) };
    }
    // A record is decoded now, so its id and time can be checked before it is queued.
    const key = `record:${createHash('sha1').update(a.text).digest('hex')}`;
    let record: ScanRecord;
    try {
      record = decodeRecord(a.text, this.cfg.nodes.lastScan, this.cfg.mapping);
    } catch (err) {
      return { key, ...cursor, load: () => Promise.reject(err as Error) };
    }
    return { key, scanId: record.scanId, time: instanceTime(record), ...cursor, load: () => Promise.resolve(record) };
  }

  /** Reads the scan history (folder or HistoryRead) and queues every scan not yet handed to the hub. */
  resync(): void {
    if (this.resyncing) {
      this.resyncAgain = true;
      return;
    }
    this.resyncing = (async () => {
      do {
        this.resyncAgain = false;
        const announced = this.announced.splice(0);
        try {
          const ids = await this.readHistoryOnce();
          if (ids) this.checkPendingIds(ids);
        } catch (err) {
          if (!this.signal.aborted) this.ctx.status.failure(new Error(`scan history read failed: ${(err as Error).message}`, { cause: err }));
        }
        // Whatever the history gave, the announced scans are taken too (queued once: the processor skips repeats).
        for (const src of announced) this.processor.enqueue(src);
      } while (this.resyncAgain && !this.signal.aborted);
      this.resyncing = null;
    })();
  }

  /** One pass over the history; resolves with the scan ids it listed (null when it could not tell). */
  private async readHistoryOnce(): Promise<Set<string> | null> {
    const ids = new Set<string>();
    const missed: string[] = [];
    if (this.cfg.historySource === 'folder') {
      const { entries, unreadable } = await listHistory(this.conn.session, this.nodes.history!, this.cfg.fields, this.cfg.mapping.timeZone);
      if (unreadable.length)
        this.ctx.status.failure(`scan history: ${unreadable.length} scan node(s) without a readable scan id: ${unreadable.slice(0, 5).join(', ')}`);
      for (const e of entries) {
        ids.add(e.scanId);
        const src: ScanSource = {
          key: `node:${e.node.toString()}`,
          scanId: e.scanId,
          time: e.startedAt?.toISOString() ?? '',
          load: () => readScan(this.conn.session, e.node, this.cfg.mapping),
        };
        // Without a start time the listing cannot tell a reused id apart: the processor decides after reading.
        if (!e.startedAt) delete src.time;
        if (this.processor.enqueue(src)) missed.push(e.scanId);
      }
    } else if (this.cfg.historySource === 'historyRead') {
      const from = this.cursor?.value ?? new Date(this.ctx.clock.now().getTime() - this.cfg.historyLookbackMs);
      for (const h of await readHistory(this.conn.session, this.nodes.lastScan, from)) {
        const a = announcement(h.value);
        if (!a) continue;
        if (a.kind === 'id') {
          ids.add(a.id);
          continue;
        }
        const src = this.source(a, h.sourceTime, false);
        if (src.scanId) ids.add(src.scanId);
        if (this.processor.enqueue(src)) missed.push(src.scanId ?? src.key);
      }
    }
    if (missed.length) this.ctx.logger.info({ scans: missed }, 'scans taken from the history');
    return ids;
  }

  /** Announced scan ids the history never showed: read again a few times, then report them missing. */
  private checkPendingIds(listed: Set<string>): void {
    let again = false;
    for (const [id, checks] of this.pendingIds) {
      if (listed.has(id) || this.seen.hasId(id)) {
        this.pendingIds.delete(id);
        continue;
      }
      if (checks + 1 < ID_CHECKS && this.cfg.historySource !== 'none') {
        this.pendingIds.set(id, checks + 1);
        again = true;
        continue;
      }
      this.pendingIds.delete(id);
      const where =
        this.cfg.historySource === 'none'
          ? 'the scanner keeps no history to read it from (historySource none)'
          : `it is not in the scanner's history after ${ID_CHECKS} reads`;
      this.processor.run(() => this.processor.reportMissing(id, where));
    }
    if (again) this.scheduleResync();
  }

  /** After a refused emit or an announced scan not found yet: read the history again a little later. */
  scheduleResync(): void {
    this.ctx.clock.sleep(this.cfg.reconnectMinMs, this.signal).then(
      () => this.resync(),
      () => undefined,
    );
  }

  /**
   * Recreates the subscription when no data change (not even the heartbeat) arrived for watchdogMs.
   * Never resolves while the link lives; rejects only if recreating fails (the driver then reconnects).
   */
  private async watchdog(): Promise<string> {
    const period = Math.max(100, Math.floor(this.cfg.watchdogMs / 4));
    for (;;) {
      try {
        await this.ctx.clock.sleep(period, this.signal);
      } catch {
        return 'stopped';
      }
      const silentMs = this.ctx.clock.now().getTime() - this.lastData;
      if (silentMs < this.cfg.watchdogMs) continue;
      this.ctx.status.degraded(`subscription silent for ${Math.round(silentMs / 1000)} s; recreating it`);
      this.ctx.logger.warn({ silentMs }, 'subscription silent, recreating it');
      const old = this.subscription;
      this.subscription = null;
      await old
        ?.terminate()
        .catch((err: Error) =>
          this.ctx.logger.warn({ swallowed: 'subscription.terminate', err: err.message, silentMs }, 'silent subscription terminate failed'),
        );
      await this.subscribe();
      this.ctx.status.ok('subscription recreated');
      this.resync();
    }
  }
}
