import { createReadStream } from 'node:fs';
import { ObservationRejectedError, type DriverContext, type FileResult, type ObservationDraft, type RawRef } from '@customs-hub/sdk';
import { readN42Text } from '../files.js';
import { draftsWithEvidence, parseDocuments, type ReadDocuments } from '../n42/parse.js';
import type { ReadOptions } from '../n42/read-options.js';

/**
 * Emits drafts one by one, awaiting each (the hub's backpressure). A draft the hub refuses as invalid
 * went to its dead-letter table, so it counts as handled and is reported; any other emit error (storage
 * down) is thrown, so the caller keeps its input and tries again — the idempotency keys make that safe.
 */
export async function emitAll(ctx: DriverContext<unknown>, drafts: ObservationDraft[], source: string, signal: AbortSignal): Promise<FileResult> {
  let observations = 0;
  let duplicates = 0;
  for (const draft of drafts) {
    // Stopping mid-file leaves the file in place; the next start re-reads it and the hub drops the duplicates.
    if (signal.aborted) throw new Error(`${source}: stopped before all observations were emitted`);
    try {
      const receipt = await ctx.emit(draft);
      if (receipt.duplicate) duplicates++;
      else observations++;
    } catch (err) {
      if (!(err instanceof ObservationRejectedError)) throw err;
      ctx.status.failure(`${source}: observation ${draft.sourceId ?? draft.kind} refused: ${err.reason}`);
    }
  }
  return duplicates > 0 ? { observations, duplicates } : { observations };
}

/** Reads, stores and emits one N42 file; throws RejectedInputError for a bad file, before emitting anything. */
export async function ingestFile(ctx: DriverContext<unknown>, path: string, name: string, options: ReadOptions, signal: AbortSignal): Promise<FileResult> {
  const read = parseDocuments(await readN42Text(path, name, options), name, options);
  const raw = await ctx.storeRaw(createReadStream(path), { name, contentType: 'application/xml', role: 'source' });
  return emitDocuments(ctx, read, raw, name, signal);
}

/**
 * Emits the documents of one file (logging what was tolerated) with their embedded evidence; a
 * cut-off last document is logged and returned as a warning, after the whole ones were emitted.
 */
export async function emitDocuments(ctx: DriverContext<unknown>, read: ReadDocuments, source: RawRef, name: string, signal: AbortSignal): Promise<FileResult> {
  for (const w of read.docs.flatMap((d) => d.warnings)) ctx.logger.warn({ file: name }, w);
  const drafts: ObservationDraft[] = [];
  for (const d of read.docs) drafts.push(...(await draftsWithEvidence(d, source, ctx.storeRaw)));
  const result = await emitAll(ctx, drafts, name, signal);
  if (!read.cut) return result;
  ctx.logger.warn({ file: name, offset: read.cut.offset, bytes: read.cut.bytes }, read.cut.message);
  return { ...result, warnings: [read.cut.message] };
}
