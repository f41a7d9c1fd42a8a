import { ObservationRejectedError, RawHashMismatchError, type DriverContext, type ObservationDraft } from '@customs-hub/sdk';
import type { ClientSession, NodeId } from 'node-opcua';
import type { ResolvedConfig } from './config.js';
import type { ImageRequest } from './image-fetch.js';
import { scanDraft, type ImageOutcome } from './scan-draft.js';
import { storeScanImage } from './scan-image.js';
import { readScan, type ScanRecord } from './scan-reader.js';
import type { SeenStore } from './seen-store.js';

/**
 * Handles scans one at a time, in the order they were announced: read the scan, stream its image
 * into the raw store, emit, remember the scan id. A scan is marked seen only once the hub took it,
 * so anything that fails is picked up again by the next history browse.
 */
export class ScanProcessor {
  private chain: Promise<void> = Promise.resolve();
  private readonly queued = new Set<string>();

  constructor(
    private readonly ctx: DriverContext<unknown>,
    private readonly cfg: ResolvedConfig,
    private readonly session: ClientSession,
    private readonly seen: SeenStore,
    private readonly signal: AbortSignal,
    /** Called when the hub refused an emit: the caller schedules a history browse to retry. */
    private readonly onRefused: () => void,
  ) {}

  /** Queues a scan node, unless it (or its id) is queued or done already; true when it was queued now. */
  enqueue(node: NodeId, scanId?: string): boolean {
    const key = node.toString();
    if ((scanId && (this.seen.has(scanId) || this.queued.has(scanId))) || this.queued.has(key)) return false;
    this.queued.add(key);
    if (scanId) this.queued.add(scanId);
    this.run(() => this.process(node, scanId).finally(() => { this.queued.delete(key); if (scanId) this.queued.delete(scanId); }));
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
   * change the verdict). 'retry': it could not store it now; a history browse is scheduled to try again.
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

  private async process(node: NodeId, knownId?: string): Promise<void> {
    if (this.signal.aborted || (knownId && this.seen.has(knownId))) return;
    const scan = await readScan(this.session, node, this.cfg.fields, this.cfg.findingFields);
    if (this.seen.has(scan.scanId)) return;
    const image = scan.image ? await this.storeImage(scan) : null;
    if (this.signal.aborted) return;
    if ((await this.emit(scanDraft(scan, image))) === 'taken') {
      await this.seen.add(scan.scanId);
      this.ctx.status.ok(`scan ${scan.scanId} ingested`);
    }
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
