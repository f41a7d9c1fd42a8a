import { NodeId, type ClientSubscription, type DataValue } from 'node-opcua';
import type { DriverContext } from '@customs-hub/sdk';
import type { ResolvedConfig } from './config.js';
import type { Connection } from './connection.js';
import { listHistory } from './history.js';
import { resolveExpandedNodeId } from './node-ids.js';
import { ScanProcessor } from './scan-processor.js';
import { ScannerStatus } from './scanner-status.js';
import type { SeenStore } from './seen-store.js';
import { subscribeScanner, type WatchedName, type WatchedNodes } from './subscription.js';
import { asString } from './values.js';

/**
 * One connected session with the scanner: subscribes, recovers missed scans from the history,
 * and watches the subscription. Runs until the connection is lost or the driver stops.
 */
export class ScannerLink {
  private subscription: ClientSubscription | null = null;
  private lastData = 0;
  private resyncing: Promise<void> | null = null;
  private resyncAgain = false;
  /** Subscriptions created on this link (1 + watchdog recreations). */
  subscriptions = 0;

  private constructor(
    private readonly ctx: DriverContext<unknown>,
    private readonly cfg: ResolvedConfig,
    private readonly conn: Connection,
    private readonly nodes: WatchedNodes & { history: NodeId },
    private readonly processor: ScanProcessor,
    private readonly status: ScannerStatus,
    private readonly signal: AbortSignal,
  ) {}

  /** Resolves the configured nodes on this server and runs the link until it ends; returns why it ended. */
  static async run(ctx: DriverContext<unknown>, cfg: ResolvedConfig, conn: Connection, seen: SeenStore, status: ScannerStatus, signal: AbortSignal): Promise<string> {
    const namespaces = await conn.session.readNamespaceArray();
    const n = cfg.nodes;
    const resolve = (id: string) => resolveExpandedNodeId(id, namespaces);
    const nodes = { status: resolve(n.status), statusMessage: resolve(n.statusMessage), lastScan: resolve(n.lastScan), heartbeat: resolve(n.heartbeat), history: resolve(n.history) };
    const local = new AbortController();
    const linkSignal = AbortSignal.any([signal, local.signal]);
    let link: ScannerLink | null = null;
    const processor = new ScanProcessor(ctx, cfg, conn.session, seen, linkSignal, () => link?.scheduleResync());
    link = new ScannerLink(ctx, cfg, conn, nodes, processor, status, linkSignal);
    try {
      // History first, so scans missed while away are queued before the one LastScan announces.
      link.resync();
      await link.resyncing;
      await link.subscribe();
      ctx.status.ok(`connected to ${cfg.endpointUrl}`);
      const aborted = new Promise<string>((resolve) => linkSignal.addEventListener('abort', () => resolve('stopped'), { once: true }));
      return await Promise.race([conn.lost, aborted, link.watchdog()]);
    } finally {
      local.abort();
      await link.resyncing;
      await processor.idle();
      // The session closes next anyway; a failed terminate is logged (the hub counts lines marked swallowed).
      await link.subscription?.terminate().catch((err: Error) => ctx.logger.warn({ swallowed: 'subscription.terminate', err: err.message }, 'subscription terminate failed'));
    }
  }

  private async subscribe(): Promise<void> {
    const { history: _history, ...watched } = this.nodes;
    this.subscription = await subscribeScanner(this.conn.session, watched, this.cfg.publishingIntervalMs, (name, value) => this.onChange(name, value));
    this.subscriptions++;
    this.lastData = this.ctx.clock.now().getTime();
  }

  private onChange(name: WatchedName, value: DataValue): void {
    this.lastData = this.ctx.clock.now().getTime();
    if (name === 'statusMessage') this.status.setMessage(asString(value) ?? '');
    else if (name === 'status') {
      const s = asString(value);
      const event = s ? this.status.update(s, this.ctx.clock.now()) : null;
      if (event) this.processor.run(async () => { await this.processor.emit(event); });
    } else if (name === 'lastScan') {
      const v = value.statusCode.isGood() ? value.value?.value : undefined;
      // A NodeId names the scan: take it at once. Then browse the history anyway, because a server that
      // samples LastScan may fold several quick announcements into one notification.
      if (v instanceof NodeId && !v.isEmpty()) this.processor.enqueue(v);
      if ((v instanceof NodeId && !v.isEmpty()) || (typeof v === 'string' && v.length > 0)) this.resync();
    }
  }

  /** Browses the scan history and queues every scan not yet handed to the hub. */
  resync(): void {
    if (this.resyncing) { this.resyncAgain = true; return; }
    this.resyncing = (async () => {
      do {
        this.resyncAgain = false;
        try {
          const { entries, unreadable } = await listHistory(this.conn.session, this.nodes.history, this.cfg.fields);
          if (unreadable.length) this.ctx.status.failure(`scan history: ${unreadable.length} scan node(s) without a readable scan id: ${unreadable.slice(0, 5).join(', ')}`);
          const missed = entries.filter((e) => this.processor.enqueue(e.node, e.scanId)).map((e) => e.scanId);
          if (missed.length) this.ctx.logger.info({ scans: missed }, 'scans taken from the history');
        } catch (err) {
          if (!this.signal.aborted) this.ctx.status.failure(new Error(`scan history browse failed: ${(err as Error).message}`, { cause: err }));
        }
      } while (this.resyncAgain && !this.signal.aborted);
      this.resyncing = null;
    })();
  }

  /** After a refused emit: browse the history again a little later, to retry. */
  scheduleResync(): void {
    this.ctx.clock.sleep(this.cfg.reconnectMinMs, this.signal).then(() => this.resync(), () => undefined);
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
      await old?.terminate().catch((err: Error) => this.ctx.logger.warn({ swallowed: 'subscription.terminate', err: err.message, silentMs }, 'silent subscription terminate failed'));
      await this.subscribe();
      this.ctx.status.ok('subscription recreated');
      this.resync();
    }
  }
}
