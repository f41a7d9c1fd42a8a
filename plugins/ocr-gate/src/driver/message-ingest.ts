import { Readable } from 'node:stream';
import { ObservationRejectedError, RejectedInputError, type DriverContext, type EmitReceipt, type ObservationDraft, type RawRef } from '@customs-hub/sdk';
import { DEFAULTS, type OcrGateConfig } from '../config.js';
import type { GateReading } from '../message/gate-message.js';
import { parseMessage } from '../message/parse-message.js';
import { storeImages } from './images.js';
import { readingDraft } from './reading-draft.js';

export interface IngestResult {
  kind: 'reading' | 'heartbeat';
  receipt?: EmitReceipt;
  sourceId?: string;
  problems: string[];
}

/** Where the message's bytes already are (an HTTP upload), or null to store them here. */
export type SourceRef = RawRef | null;

/**
 * One gate message, from text to a committed observation: parse (JSON or XML), refuse what is wrong
 * with the reason, store the images and the message as raw evidence, emit. Shared by every transport.
 */
export class MessageIngest {
  constructor(
    private readonly ctx: DriverContext<OcrGateConfig>,
    private readonly config: OcrGateConfig,
  ) {}

  /** Throws RejectedInputError for a bad message; emit failures propagate (the caller retries or answers 5xx). */
  async ingest(
    text: string,
    name: string,
    source: SourceRef,
    emit: (d: ObservationDraft) => Promise<EmitReceipt> = (d) => this.ctx.emit(d),
  ): Promise<IngestResult> {
    const parsed = parseMessage(text, name, { format: this.config.format ?? 'auto', confidenceScale: this.config.confidenceScale ?? 'unit' });
    const problems: string[] = [];
    if (parsed.unknownFields.length > 0) {
      const list = parsed.unknownFields.slice(0, 10).join(', ') + (parsed.unknownFields.length > 10 ? ` and ${parsed.unknownFields.length - 10} more` : '');
      if (this.config.unknownFields === 'reject') throw new RejectedInputError(`unknown field(s): ${list}`);
      problems.push(`unknown field(s) ignored: ${list}`);
    }
    if (parsed.message.type === 'HEARTBEAT') return { kind: 'heartbeat', problems };
    const reading: GateReading = parsed.message;
    const stem = reading.id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120);
    const images = await storeImages(reading.images, stem, this.config.maxImageBytes ?? DEFAULTS.maxImageBytes, this.ctx.storeRaw);
    problems.push(...images.problems);
    const contentType = parsed.format === 'json' ? 'application/json' : 'application/xml';
    const raw = source ?? (await this.ctx.storeRaw(Readable.from([Buffer.from(text)]), { contentType, name: `${stem}.${parsed.format}`, role: 'source' }));
    const draft = readingDraft({
      reading,
      text,
      source: { ...raw, role: 'source', contentType },
      images: images.refs,
      problems,
      minConfidence: this.config.minConfidence ?? DEFAULTS.minConfidence,
    });
    const receipt = await emit(draft);
    return { kind: 'reading', receipt, sourceId: draft.sourceId!, problems };
  }
}

/** Emits, retrying what the hub could not store yet (not what it refused) until it is stored or the signal aborts. */
export async function emitRetrying(ctx: DriverContext<unknown>, draft: ObservationDraft, signal: AbortSignal): Promise<EmitReceipt> {
  let delay = 100;
  for (;;) {
    try {
      return await ctx.emit(draft);
    } catch (err) {
      if (err instanceof ObservationRejectedError || signal.aborted) throw err;
      ctx.status.failure(`reading ${draft.sourceId} not stored yet (${(err as Error).message}); retrying in ${delay} ms`);
      await ctx.clock.sleep(delay, signal);
      delay = Math.min(delay * 2, 5000);
    }
  }
}
