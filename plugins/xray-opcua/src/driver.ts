import { routeOpcuaLogs } from './opcua-logs.js';
import { join } from 'node:path';
import type { Driver, DriverContext, HealthReport } from '@customs-hub/sdk';
import { resolveConfig, type ResolvedConfig, type XrayConfig } from './config.js';
import { ClientCertificateRefusedError, openConnection, UntrustedServerError } from './connection.js';
import { HistoryCursor } from './history-cursor.js';
import { ScannerLink } from './link.js';
import { NodeIdError } from './node-ids.js';
import type { Tally } from './scan-processor.js';
import { ScannerStatus } from './scanner-status.js';
import { SeenStore } from './seen-store.js';

/**
 * Connects to the scanner, runs a ScannerLink until the connection is lost, and reconnects with
 * backoff. Each new link re-subscribes and browses the scan history, so no scan is lost across restarts.
 */
export class XrayDriver implements Driver<XrayConfig> {
  private cfg!: ResolvedConfig;
  private readonly controller = new AbortController();
  private loop: Promise<void> | null = null;
  private connected = false;
  private lastError = '';
  private readonly tally: Tally = { missing: 0, reused: 0 };

  async start(ctx: DriverContext<XrayConfig>): Promise<void> {
    this.cfg = resolveConfig(ctx.config);
    routeOpcuaLogs(ctx.logger);
    const seen = new SeenStore(join(ctx.dataDir, 'seen-scans.json'));
    const damaged = await seen.load();
    if (damaged) ctx.logger.warn({ file: join(ctx.dataDir, 'seen-scans.json') }, damaged);
    let cursor: HistoryCursor | null = null;
    if (this.cfg.historySource === 'historyRead') {
      cursor = new HistoryCursor(join(ctx.dataDir, 'history-cursor.json'));
      const bad = await cursor.load();
      if (bad)
        ctx.logger.warn({ file: join(ctx.dataDir, 'history-cursor.json') }, `${bad}; reading the last ${this.cfg.historyLookbackMs / 1000} s of history`);
    }
    const signal = AbortSignal.any([ctx.signal, this.controller.signal]);
    this.loop = this.run(ctx as DriverContext<unknown>, seen, cursor, signal);
  }

  async stop(): Promise<void> {
    this.controller.abort(new Error('driver stopped'));
    await this.loop;
  }

  async health(): Promise<HealthReport> {
    const missing = this.tally.missing ? `${this.tally.missing} announced scan(s) could not be read` : '';
    if (this.connected) return missing ? { ok: true, detail: missing } : { ok: true };
    return { ok: false, detail: [this.lastError || 'not connected', missing].filter(Boolean).join('; ') };
  }

  private async run(ctx: DriverContext<unknown>, seen: SeenStore, cursor: HistoryCursor | null, signal: AbortSignal): Promise<void> {
    const pkiDir = join(ctx.dataDir, 'pki');
    const status = new ScannerStatus(ctx.status, this.cfg.mapping.statusWords, ctx.logger);
    let delay = this.cfg.reconnectMinMs;
    while (!signal.aborted) {
      try {
        const conn = await openConnection(this.cfg, pkiDir, signal);
        this.connected = true;
        try {
          const why = await ScannerLink.run(ctx, this.cfg, conn, seen, cursor, status, this.tally, signal);
          if (!signal.aborted) ctx.status.failure(`${this.cfg.endpointUrl}: ${why}; reconnecting`);
        } finally {
          this.connected = false;
          await conn.close();
        }
        delay = this.cfg.reconnectMinMs;
      } catch (err) {
        if (signal.aborted) break;
        this.lastError = (err as Error).message;
        // Someone has to act on these; retrying still lets the driver recover once they have.
        if (err instanceof UntrustedServerError || err instanceof ClientCertificateRefusedError || err instanceof NodeIdError) ctx.status.fault(err);
        else ctx.status.failure(err as Error);
        ctx.logger.warn({ err: this.lastError, retryInMs: delay }, 'scanner connection failed');
      }
      try {
        await ctx.clock.sleep(delay, signal);
      } catch {
        break;
      }
      delay = Math.min(delay * 2, this.cfg.reconnectMaxMs);
    }
  }
}
