import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import {
  ObservationRejectedError,
  RejectedInputError,
  type Driver,
  type DriverContext,
  type FileResult,
  type HealthReport,
  type ObservationDraft,
  type RawRef,
  type ReceivedFile,
} from '@customs-hub/sdk';
import { DEFAULT_POLL_MS, DEFAULT_SERIES_QUIET_MS, type DicosConfig } from './config.js';
import { ctSeriesOf, ctSlice, SeriesCollector, type PendingSeries } from './ct-series.js';
import { readDicosFile } from './dicos-file.js';
import { draftFor, rawOptions } from './drafts.js';
import { fileSource } from './file-source.js';
import { HotFolder } from './hot-folder.js';
import { rejectionEvent } from './rejection.js';
import { middleSlice, seriesScanDraft } from './series-draft.js';

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * One DICOS unit. Ingests files from its hot folder (one at a time, each emit awaited before the
 * file moves to done/) and files uploaded through the hub (acceptFile).
 */
export class DicosDriver implements Driver<DicosConfig> {
  private ctx: DriverContext<DicosConfig> | null = null;
  private loop: Promise<void> | null = null;
  private readonly controller = new AbortController();
  private healthy = true;
  private series = new SeriesCollector(DEFAULT_SERIES_QUIET_MS);

  private config: DicosConfig = {};

  async start(ctx: DriverContext<DicosConfig>): Promise<void> {
    this.config = ctx.config;
    this.series = new SeriesCollector(ctx.config.seriesQuietMs ?? DEFAULT_SERIES_QUIET_MS);
    this.ctx = ctx;
    const signal = AbortSignal.any([ctx.signal, this.controller.signal]);
    const dir = this.config.watchDir;
    if (!dir) {
      ctx.status.ok('ready for uploads (no watchDir)');
      return;
    }
    try {
      await mkdir(dir, { recursive: true });
      ctx.status.ok(`watching ${dir}`);
    } catch (err) {
      this.fail(`cannot create watch folder ${dir}: ${message(err)}`);
    }
    this.loop = this.run(new HotFolder(dir), signal);
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.loop;
  }

  /** Probed while the device is offline: can the hot folder be read? */
  async health(): Promise<HealthReport> {
    const dir = this.config.watchDir;
    if (!dir) return { ok: true, detail: 'upload only' };
    try {
      await access(dir, constants.R_OK | constants.W_OK);
      return { ok: true, detail: `watch folder ${dir} readable` };
    } catch (err) {
      return { ok: false, detail: `watch folder ${dir}: ${message(err)}` };
    }
  }

  /** A file uploaded through the hub, already in its raw store. Throws RejectedInputError for a bad file. */
  async acceptFile(file: ReceivedFile): Promise<FileResult> {
    const ctx = this.ctx;
    if (!ctx) throw new Error('dicos: acceptFile called before start');
    const parsed = await readDicosFile(file.path, file.name);
    const raw: RawRef = { sha256: file.sha256, key: `sha256/${file.sha256}`, size: file.size, ...rawOptions(parsed) };
    const draft = await draftFor(parsed, raw, file.path, ctx);
    try {
      const receipt = await ctx.emit(draft);
      return receipt.duplicate ? { observations: 0, duplicates: 1 } : { observations: 1 };
    } catch (err) {
      this.fail(`upload ${file.name}: ${message(err)}`);
      throw err;
    }
  }

  private async run(folder: HotFolder, signal: AbortSignal): Promise<void> {
    const period = this.config.pollIntervalMs ?? DEFAULT_POLL_MS;
    while (!signal.aborted) {
      await this.scan(folder, signal);
      try {
        await this.ctx!.clock.sleep(period, signal);
      } catch {
        break;
      }
    }
  }

  private async scan(folder: HotFolder, signal: AbortSignal): Promise<void> {
    let names: string[];
    try {
      names = await folder.ready();
    } catch (err) {
      this.fail(`cannot read watch folder ${folder.dir}: ${message(err)}`);
      return;
    }
    for (const name of names) {
      if (signal.aborted) return;
      if (!this.series.holds(name)) await this.ingest(folder, name, signal);
    }
    for (const series of this.series.due(this.ctx!.clock.now().getTime())) {
      if (signal.aborted) return;
      await this.closeSeries(folder, series, signal);
    }
  }

  /**
   * Emits a CT series whose slices stopped arriving as one scan, then moves its files to done/. A failed
   * emit keeps the series (and its files) for the next scan.
   */
  private async closeSeries(folder: HotFolder, series: PendingSeries, signal: AbortSignal): Promise<void> {
    const ctx = this.ctx!;
    const uid = series.seriesInstanceUid;
    const files = [...series.slices.map((s) => s.name), ...series.repeats];
    try {
      const { name } = middleSlice(series);
      const draft = await seriesScanDraft(series, await readDicosFile(folder.path(name), name), folder.path(name), ctx);
      let receipt;
      try {
        receipt = await ctx.emit(draft);
      } catch (err) {
        if (!(err instanceof ObservationRejectedError)) throw err;
        for (const f of files) await this.refuse(folder, f, `CT series ${uid} refused by the hub: ${err.reason}`, false);
        this.series.close(series);
        return;
      }
      for (const f of files) await folder.done(f);
      this.series.close(series);
      ctx.logger.info({ series: uid, slices: series.slices.length, sourceId: draft.sourceId, duplicate: receipt.duplicate }, 'DICOS CT series ingested');
      if (!this.healthy || !receipt.duplicate) this.ok(`ingested CT series ${uid} (${series.slices.length} slices)`);
    } catch (err) {
      if (signal.aborted) return;
      this.fail(`CT series ${uid}: ${message(err)}`);
    }
  }

  /** Ingests one file; a file whose emit failed stays in place and is tried again at the next scan. */
  private async ingest(folder: HotFolder, name: string, signal: AbortSignal): Promise<void> {
    const ctx = this.ctx!;
    const path = folder.path(name);
    try {
      let draft: ObservationDraft;
      try {
        const parsed = await readDicosFile(path, name);
        const raw = await ctx.storeRaw(fileSource(path), rawOptions(parsed));
        // A slice of a CT series written file by file waits, in the folder, for the rest of its series.
        const series = ctSeriesOf(parsed);
        if (series) {
          this.series.add(series, ctSlice(parsed, raw), ctx.clock.now().getTime());
          ctx.logger.debug({ file: name, series }, 'CT slice held for its series');
          return;
        }
        draft = await draftFor(parsed, raw, path, ctx);
      } catch (err) {
        if (err instanceof RejectedInputError) return await this.refuse(folder, name, err.reason);
        throw err;
      }
      let receipt;
      try {
        receipt = await ctx.emit(draft);
      } catch (err) {
        // The hub refused the observation itself (dead-lettered): retrying cannot help.
        if (err instanceof ObservationRejectedError) return await this.refuse(folder, name, `observation refused by the hub: ${err.reason}`, false);
        throw err;
      }
      await folder.done(name);
      ctx.logger.info({ file: name, kind: draft.kind, sourceId: draft.sourceId, duplicate: receipt.duplicate }, 'DICOS file ingested');
      if (!this.healthy || !receipt.duplicate) this.ok(`ingested ${name}`);
    } catch (err) {
      if (signal.aborted) return;
      this.fail(`${name}: ${message(err)}`);
    }
  }

  /** Keeps a bad file (raw store and rejected/) and says why, as an observation and a failure status. */
  private async refuse(folder: HotFolder, name: string, reason: string, announce = true): Promise<void> {
    const ctx = this.ctx!;
    if (announce) {
      const raw = await ctx.storeRaw(fileSource(folder.path(name)), { name, role: 'rejected', contentType: 'application/octet-stream' });
      await ctx.emit(rejectionEvent(name, reason, raw));
    }
    await folder.reject(name, reason);
    ctx.logger.warn({ file: name, reason }, 'DICOS file rejected');
    this.fail(`rejected ${name}: ${reason}`);
  }

  private ok(detail: string): void {
    this.healthy = true;
    this.ctx!.status.ok(detail);
  }

  private fail(detail: string): void {
    this.healthy = false;
    this.ctx!.status.failure(detail);
    this.ctx!.logger.warn({ detail }, 'DICOS failure');
  }
}
