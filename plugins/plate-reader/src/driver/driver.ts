import { readFile, stat } from 'node:fs/promises';
import {
  ObservationRejectedError,
  RejectedInputError,
  type Driver,
  type DriverContext,
  type FileResult,
  type HealthReport,
  type ReceivedFile,
} from '@customs-hub/sdk';
import { DEFAULTS, type PlateReaderConfig } from '../config.js';
import { parseEvent } from '../message/parse-event.js';
import { storeImages } from './images.js';
import { PlatePoller } from './poller.js';
import { readDraft } from './read-draft.js';

/**
 * One ANPR camera. Inputs: JSON events the camera POSTs to the hub's upload route (`acceptFile`), and,
 * when configured, ISAPI-style polling of its plate list. Each plate read is one `identification`
 * observation; a bad event is refused with its reason in the device status and the rest keeps flowing.
 */
/** The status reason while pushed events arrive and are accepted. */
export const RECEIVING = 'receiving plate events';

export class PlateReaderDriver implements Driver<PlateReaderConfig> {
  private readonly controller = new AbortController();
  private signal: AbortSignal = this.controller.signal;
  private ctx: DriverContext<PlateReaderConfig> | null = null;
  private poller: PlatePoller | null = null;
  private loop: Promise<void> = Promise.resolve();

  private config: PlateReaderConfig = {};

  async start(ctx: DriverContext<PlateReaderConfig>): Promise<void> {
    this.config = ctx.config;
    this.ctx = ctx;
    this.signal = AbortSignal.any([ctx.signal, this.controller.signal]);
    if (this.config.poll) {
      this.poller = new PlatePoller(ctx, this.config, this.config.poll);
      this.loop = this.poller.run(this.signal);
    }
    ctx.status.ok(
      `plate reader ready: ${[this.config.poll && `polling ${this.config.poll.url} every ${this.config.poll.intervalMs ?? DEFAULTS.intervalMs} ms`, 'HTTP push'].filter(Boolean).join(', ')}`,
    );
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.loop;
  }

  async health(): Promise<HealthReport> {
    return { ok: true, detail: this.poller ? `${this.poller.polls} poll(s)` : 'HTTP push only' };
  }

  /** An event the camera POSTed to the hub's upload route (already in the raw store as the source evidence). */
  async acceptFile(file: ReceivedFile): Promise<FileResult> {
    const ctx = this.ctx;
    if (!ctx) throw new Error('plate-reader driver not started');
    const name = `upload ${file.name}`;
    try {
      const max = this.config.maxMessageBytes ?? DEFAULTS.maxMessageBytes;
      const size = (await stat(file.path)).size;
      if (size > max) throw new RejectedInputError(`event of ${size} bytes exceeds the ${max}-byte limit`);
      const text = await readFile(file.path, 'utf8');
      const { read, unknownFields } = parseEvent(text, this.config.confidenceScale ?? 'unit');
      const problems: string[] = [];
      if (unknownFields.length > 0) {
        const list = unknownFields.slice(0, 10).join(', ') + (unknownFields.length > 10 ? ` and ${unknownFields.length - 10} more` : '');
        if (this.config.unknownFields === 'reject') throw new RejectedInputError(`unknown field(s): ${list}`);
        problems.push(`unknown field(s) ignored: ${list}`);
      }
      if (!read.plate) {
        // A LOST without a plate only says the vehicle left the view.
        ctx.status.ok(RECEIVING);
        return { observations: 0 };
      }
      const stem = read.id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120);
      const images = await storeImages(read.images, stem, this.config.maxImageBytes ?? DEFAULTS.maxImageBytes, ctx.storeRaw);
      problems.push(...images.problems);
      const draft = readDraft({
        read,
        text,
        source: { sha256: file.sha256, key: `sha256/${file.sha256}`, size: file.size, name: file.name, role: 'source', contentType: 'application/json' },
        images: images.refs,
        problems,
        minConfidence: this.config.minConfidence ?? DEFAULTS.minConfidence,
      });
      const receipt = await ctx.emit(draft);
      if (problems.length > 0) ctx.status.degraded(`${name} (${draft.sourceId}): ${problems.join('; ')}`);
      else ctx.status.ok(RECEIVING); // one steady reason: no status event per vehicle
      return { observations: receipt.duplicate ? 0 : 1, duplicates: receipt.duplicate ? 1 : 0 };
    } catch (err) {
      if (err instanceof RejectedInputError || err instanceof ObservationRejectedError) {
        ctx.logger.warn({ source: name, reason: err.reason }, 'plate event rejected');
        ctx.status.failure(`${name} rejected: ${err.reason}`);
      } else {
        ctx.status.failure(`${name}: ${(err as Error).message}`);
      }
      throw err;
    }
  }
}
