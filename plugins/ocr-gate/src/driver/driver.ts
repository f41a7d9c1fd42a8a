import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ObservationRejectedError,
  RejectedInputError,
  type Driver,
  type DriverContext,
  type FileResult,
  type HealthReport,
  type ReceivedFile,
} from '@customs-hub/sdk';
import { DEFAULTS, type OcrGateConfig } from '../config.js';
import { emitRetrying, MessageIngest, type IngestResult } from './message-ingest.js';
import { Spool } from './spool.js';
import { TcpLink } from './tcp-link.js';

/**
 * One OCR gate. Inputs: the TCP link (the gate pushes framed XML or JSON messages; listen or connect)
 * and HTTP push through the hub's authenticated upload route (`acceptFile`). A bad message is refused
 * with its reason in the device status and the stream goes on; a reading the hub could not store is
 * retried, and spooled to the device's data folder if the hub stops first.
 */
/** The status reason while messages arrive and are accepted. */
export const RECEIVING = 'receiving messages from the gate';

export class OcrGateDriver implements Driver<OcrGateConfig> {
  private readonly controller = new AbortController();
  private signal: AbortSignal = this.controller.signal;
  private ctx: DriverContext<OcrGateConfig> | null = null;
  private ingest: MessageIngest | null = null;
  private link: TcpLink | null = null;
  private spool: Spool | null = null;
  private silence: NodeJS.Timeout | null = null;
  private lastMessageAt = Date.now();
  private silent = false;
  private draining: Promise<void> = Promise.resolve();
  readonly counters = { readings: 0, heartbeats: 0, rejected: 0, duplicates: 0 };

  private config: OcrGateConfig = {};

  async start(ctx: DriverContext<OcrGateConfig>): Promise<void> {
    this.config = ctx.config;
    this.ctx = ctx;
    this.signal = AbortSignal.any([ctx.signal, this.controller.signal]);
    this.ingest = new MessageIngest(ctx, this.config);
    this.spool = new Spool(join(ctx.dataDir, 'spool'));
    this.draining = this.spool.drain((text, name) => this.handleStreamed(text, name));
    if (this.config.tcp) {
      this.link = new TcpLink(ctx, this.config.tcp, this.config.maxMessageBytes ?? DEFAULTS.maxMessageBytes, async (text, name) => {
        await this.handleStreamed(text, name);
      });
      await this.link.start(this.signal);
    }
    if (this.config.silenceS) this.watchSilence(this.config.silenceS);
    ctx.status.ok(`OCR gate ready: ${[this.link?.describe(), 'HTTP push'].filter(Boolean).join(', ')}`);
  }

  async stop(): Promise<void> {
    this.controller.abort();
    if (this.silence) clearInterval(this.silence);
    await this.link?.stop();
    await this.draining.catch((err: unknown) => this.ctx?.logger.error({ err: String(err) }, 'spool not drained'));
  }

  async health(): Promise<HealthReport> {
    if (!this.link) return { ok: true, detail: 'HTTP push only' };
    return this.link.up ? { ok: true, detail: this.link.describe() } : { ok: false, detail: `not ${this.link.describe()}` };
  }

  /** The TCP port bound in listen mode (tests configure port 0). */
  port(): number | undefined {
    return this.link?.port();
  }

  /** A message the gate POSTed to the hub's upload route (already in the raw store as the source evidence). */
  async acceptFile(file: ReceivedFile): Promise<FileResult> {
    const { ingest } = this.started();
    const max = this.config.maxMessageBytes ?? DEFAULTS.maxMessageBytes;
    const size = (await stat(file.path)).size;
    let result: IngestResult;
    try {
      if (size > max) throw new RejectedInputError(`message of ${size} bytes exceeds the ${max}-byte limit`);
      const text = await readFile(file.path, 'utf8');
      result = await ingest.ingest(text, `upload ${file.name}`, { sha256: file.sha256, key: `sha256/${file.sha256}`, size: file.size, name: file.name });
    } catch (err) {
      if (err instanceof RejectedInputError || err instanceof ObservationRejectedError) this.rejected(`upload ${file.name}`, err);
      throw err;
    }
    this.accepted(`upload ${file.name}`, result);
    return { observations: result.receipt && !result.receipt.duplicate ? 1 : 0, duplicates: result.receipt?.duplicate ? 1 : 0 };
  }

  /** False when the message was spooled (the hub is stopping), true when it was handled (stored or refused). */
  private async handleStreamed(text: string, name: string): Promise<boolean> {
    const { ingest } = this.started();
    try {
      const result = await ingest.ingest(text, name, null, (d) => emitRetrying(this.ctx!, d, this.signal));
      this.accepted(name, result);
    } catch (err) {
      if (err instanceof RejectedInputError || err instanceof ObservationRejectedError) {
        this.rejected(name, err);
        return true;
      }
      if (this.signal.aborted) {
        await this.spool!.save(text);
        this.ctx!.logger.warn({ source: name }, 'hub stopping: gate message spooled for the next start');
        return false;
      }
      // Not the message's fault (raw store unavailable): keep it for the next start rather than lose it.
      await this.spool!.save(text);
      this.ctx!.status.failure(`${name}: ${(err as Error).message}; message spooled for the next start`);
      return false;
    }
    return true;
  }

  private accepted(name: string, result: IngestResult): void {
    const ctx = this.ctx!;
    this.lastMessageAt = Date.now();
    this.silent = false;
    if (result.kind === 'heartbeat') this.counters.heartbeats++;
    else if (result.receipt?.duplicate) this.counters.duplicates++;
    else this.counters.readings++;
    if (result.problems.length > 0) {
      ctx.logger.warn({ source: name, problems: result.problems }, 'gate message accepted with problems');
      ctx.status.degraded(`${name}${result.sourceId ? ` (${result.sourceId})` : ''}: ${result.problems.join('; ')}`);
    } else {
      // One steady reason: a status change per reading would put a status event on the feed for every truck.
      ctx.logger.debug({ source: name, sourceId: result.sourceId, duplicate: result.receipt?.duplicate ?? false }, 'gate message accepted');
      ctx.status.ok(RECEIVING);
    }
  }

  private rejected(name: string, err: RejectedInputError | ObservationRejectedError): void {
    this.counters.rejected++;
    this.lastMessageAt = Date.now();
    this.ctx!.logger.warn({ source: name, reason: err.reason }, 'gate message rejected');
    this.ctx!.status.failure(`${name} rejected: ${err.reason}`);
  }

  private watchSilence(seconds: number): void {
    this.silence = setInterval(
      () => {
        const quiet = (Date.now() - this.lastMessageAt) / 1000;
        if (quiet >= seconds && !this.silent) {
          this.silent = true;
          this.ctx!.status.degraded(`no message from the gate for ${Math.round(quiet)} s (silenceS ${seconds})`);
        }
      },
      Math.min(1000, seconds * 250),
    );
    this.silence.unref();
  }

  private started(): { ctx: DriverContext<OcrGateConfig>; ingest: MessageIngest } {
    if (!this.ctx || !this.ingest) throw new Error('ocr-gate driver not started');
    return { ctx: this.ctx, ingest: this.ingest };
  }
}
