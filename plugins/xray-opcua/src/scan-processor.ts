import { ObservationRejectedError, RawHashMismatchError, type DriverContext, type ObservationDraft } from '@customs-hub/sdk';
import type { ResolvedConfig } from './config.js';
import type { HistoryCursor } from './history-cursor.js';
import type { ImageRequest } from './image-fetch.js';
import { scanDraft, type ImageOutcome } from './scan-draft.js';
import { storeScanImage } from './scan-image.js';
import { ScanReadError, type ScanRecord } from './scan-decode.js';
import type { ScannerStatus } from './scanner-status.js';
import type { SeenStore } from './seen-store.js';

/** A scan to hand over: how to read it, and what is known of it before reading. */
export interface ScanSource {
  /** Unique per queued scan (node id, history value). */
  key: string;
  scanId?: string;
  /** The scan's instance time (see instanceTime), when known before reading. */
  time?: string;
  /** Source time of the history value it came from (HistoryRead only, never a notification's): the cursor passes it once handed over. */
  cursor?: Date;
  /** Set when LastScan announced it: a read that fails is retried, then reported as a missing scan. */
  announced?: boolean;
  load(): Promise<ScanRecord>;
}

/** What tells two scans with the same id apart: the start time (or the end time, or the image hash). */
export function instanceTime(scan: Pick<ScanRecord, 'startedAt' | 'endedAt' | 'image'>): string {
  return (scan.startedAt ?? scan.endedAt)?.toISOString() ?? (scan.image?.sha256 ? `sha256:${scan.image.sha256}` : '');
}

/** Counts that outlive a connection: what the driver could not hand over, for health and events. */
export interface Tally {
  missing: number;
  reused: number;
}

const READ_ATTEMPTS = 3;

/**
 * Handles scans one at a time, in the order they were queued: read the scan, stream its image
 * into the raw store, emit, remember (id, time). A scan is marked seen only once the hub took it,
 * so anything that fails is picked up again by the next history read.
 */
export class ScanProcessor {
  private chain: Promise<void> = Promise.resolve();
  private readonly queued = new Set<string>();

  constructor(
    private readonly ctx: DriverContext<unknown>,
    private readonly cfg: ResolvedConfig,
    private readonly seen: SeenStore,
    private readonly status: ScannerStatus,
    private readonly tally: Tally,
    private readonly cursor: HistoryCursor | null,
    private readonly signal: AbortSignal,
    /** Called when the hub refused an emit: the caller schedules a history read to retry. */
    private readonly onRefused: () => void,
  ) {}

  /** Queues a scan, unless it is queued or handed over already; true when it was queued now. */
  enqueue(src: ScanSource): boolean {
    const idKey = src.scanId !== undefined ? `id:${src.scanId}@${src.time ?? ''}` : undefined;
    if (this.queued.has(src.key) || (idKey && this.queued.has(idKey))) {
      // Queued already (announced by LastScan): the cursor waits for it all the same.
      if (src.cursor) this.cursor?.hold(src.key, src.cursor);
      return false;
    }
    if (src.scanId !== undefined && src.time !== undefined && this.seen.has(src.scanId, src.time)) {
      if (src.cursor) void this.cursor?.release(src.key, src.cursor);
      return false;
    }
    this.queued.add(src.key);
    if (idKey) this.queued.add(idKey);
    if (src.cursor) this.cursor?.hold(src.key, src.cursor);
    this.run(() =>
      this.process(src, 1).finally(() => {
        this.queued.delete(src.key);
        if (idKey) this.queued.delete(idKey);
      }),
    );
    return true;
  }

  /** Runs a task in turn with the scans (device events keep their order relative to scans). */
  run(task: () => Promise<void>): void {
    this.chain = this.chain.then(task).catch((err: Error) => {
      if (!this.signal.aborted) this.ctx.status.failure(err);
    });
  }

  /** Resolves once everything queued so far is done. */
  idle(): Promise<void> {
    return this.chain;
  }

  /**
   * Emits a draft. 'taken': the hub stored it (or dead-lettered it as invalid: retrying would not
   * change the verdict). 'retry': it could not store it now; a history read is scheduled to try again.
   */
  async emit(draft: ObservationDraft): Promise<'taken' | 'retry'> {
    if (this.signal.aborted) return 'retry';
    const what = `${draft.kind}${draft.sourceId ? ` ${draft.sourceId}` : ''}`;
    try {
      const receipt = await this.ctx.emit(draft);
      this.ctx.logger.info({ kind: draft.kind, sourceId: draft.sourceId, seq: receipt.seq, duplicate: receipt.duplicate }, 'observation emitted');
      return 'taken';
    } catch (err) {
      if (this.signal.aborted) return 'retry';
      if (err instanceof ObservationRejectedError) {
        this.ctx.logger.error({ kind: draft.kind, sourceId: draft.sourceId, reason: err.reason, deadLetterId: err.deadLetterId }, 'observation rejected');
        this.ctx.status.failure(new Error(`the hub rejected ${what}: ${err.reason}`, { cause: err }));
        return 'taken';
      }
      this.ctx.status.failure(new Error(`the hub could not take ${what}: ${(err as Error).message}`, { cause: err }));
      this.onRefused();
      return 'retry';
    }
  }

  /**
   * A scan the scanner announced that cannot be had (gone from its address space and its history): never
   * dropped silently — logged, counted, reported as a failure and as a device event.
   */
  async reportMissing(what: string, reason: string): Promise<void> {
    this.tally.missing++;
    const message = `scan ${what} was announced by the scanner but cannot be read: ${reason} (${this.tally.missing} missing scan(s) since the driver started)`;
    this.ctx.logger.warn({ scan: what, reason, missingTotal: this.tally.missing }, 'announced scan missing');
    this.ctx.status.failure(message);
    await this.emit({
      kind: 'device.event',
      deviceTime: this.ctx.clock.now(),
      payload: {
        event: 'other',
        code: 'scan-missing',
        message: message.slice(0, 1000),
        values: { scan: what.slice(0, 200), missingTotal: this.tally.missing },
      },
    });
  }

  private async process(src: ScanSource, attempt: number): Promise<void> {
    if (this.signal.aborted || (src.scanId !== undefined && src.time !== undefined && this.seen.has(src.scanId, src.time))) return this.pass(src);
    let scan: ScanRecord;
    try {
      scan = await src.load();
    } catch (err) {
      if (this.signal.aborted) return;
      if (!(err instanceof ScanReadError)) throw err;
      if (src.announced && attempt < READ_ATTEMPTS) {
        // The scanner may announce a scan a moment before it can be read.
        this.ctx.logger.info({ scan: src.key, attempt, err: err.message }, 'announced scan not readable yet; retrying');
        await this.ctx.clock.sleep(300 * attempt, this.signal).catch(() => undefined);
        return this.process(src, attempt + 1);
      }
      if (src.announced) await this.reportMissing(src.scanId ?? src.key, err.message);
      else {
        this.ctx.logger.warn({ scan: src.key, err: err.message }, 'scan refused');
        this.ctx.status.failure(err);
      }
      return this.pass(src);
    }
    const time = instanceTime(scan);
    if (this.seen.has(scan.scanId, time)) return this.pass(src);
    let sourceId: string | undefined;
    const others = this.seen.otherTimes(scan.scanId, time);
    if (others.length > 0) {
      // The same id with another scan time: the scanner restarted its id counter (a reboot). A new scan, never skipped.
      sourceId = `${scan.scanId.slice(0, 170)}@${time || 'no-time'}`.slice(0, 200);
      this.tally.reused++;
      this.ctx.logger.warn(
        { scanId: scan.scanId, time, before: others.slice(-3), sourceId },
        'scan id reused by the scanner (id counter reset?); taken as a new scan',
      );
    }
    const image = scan.image ? await this.storeImage(scan) : null;
    if (this.signal.aborted) return;
    const draft = scanDraft(scan, image, { ...(sourceId ? { sourceId } : {}), notes: this.status.notes });
    if ((await this.emit(draft)) === 'taken') {
      await this.seen.add(scan.scanId, time);
      this.ctx.status.ok(`scan ${scan.scanId} ingested`);
      return this.pass(src);
    }
  }

  /** The scan needs nothing more: the history cursor may pass it (also when its history value waited on this one). */
  private async pass(src: ScanSource): Promise<void> {
    if (!this.signal.aborted) await this.cursor?.release(src.key, src.cursor);
  }

  private async storeImage(scan: ScanRecord): Promise<ImageOutcome> {
    const image = scan.image!;
    let lastError = '';
    for (let attempt = 1; attempt <= this.cfg.imageAttempts; attempt++) {
      const signal = AbortSignal.any([this.signal, AbortSignal.timeout(this.cfg.imageTimeoutMs)]);
      try {
        const req: ImageRequest = { url: image.url, name: `${scan.scanId}.${image.format ?? 'img'}` };
        if (image.sha256) req.sha256 = image.sha256;
        const stored = await storeScanImage(req, image, this.ctx.storeRaw, signal, scan.scanId.slice(0, 200));
        if (stored.previewProblem) this.ctx.logger.warn({ scanId: scan.scanId, reason: stored.previewProblem }, 'image stored without a preview');
        return { status: 'stored', ...stored };
      } catch (err) {
        if (err instanceof RawHashMismatchError) {
          this.ctx.logger.warn({ scanId: scan.scanId, expected: err.expected, actual: err.actual }, 'image hash mismatch');
          return { status: 'corrupt', reason: `image sha256 mismatch: the scanner announced ${err.expected}, the received file has ${err.actual}` };
        }
        if (this.signal.aborted) throw err;
        lastError = (err as Error).message;
        this.ctx.logger.warn({ scanId: scan.scanId, attempt, err: lastError }, 'image download failed');
        if (attempt < this.cfg.imageAttempts) await this.ctx.clock.sleep(500 * attempt, this.signal);
      }
    }
    this.ctx.status.failure(new Error(`image of scan ${scan.scanId} not retrieved after ${this.cfg.imageAttempts} attempt(s): ${lastError}`));
    return { status: 'missing', reason: `image not retrieved: ${lastError}` };
  }
}
