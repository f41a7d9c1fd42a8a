import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { RejectedInputError, type FileReader } from '@customs-hub/sdk';
import { decodeText, draftsWithEvidence, parseDocuments } from './n42/parse.js';
import { DEFAULT_READ_OPTIONS, type ReadOptions } from './n42/read-options.js';
import { looksLikeN42 } from './n42/split.js';
import type { ParseLimits } from './xml/limits.js';

/** Reads a whole file as text, refusing one over the size limit before reading it. */
export async function readN42Text(path: string, name: string, limits: ParseLimits): Promise<string> {
  const { size } = await stat(path);
  if (size > limits.maxBytes) throw new RejectedInputError(`${name}: ${size} bytes, more than the ${limits.maxBytes}-byte limit`);
  return decodeText(await readFile(path), name);
}

/** The FileReader behind `customs-hub inspect FILE`: N42 files of either edition to drafts. */
export function n42FileReader(options: ReadOptions = DEFAULT_READ_OPTIONS): FileReader {
  return {
    accepts: ({ head }) => looksLikeN42(head.toString('utf8')) || looksLikeN42(head.toString('utf16le')),
    async read(file, ctx) {
      const { docs, cut } = parseDocuments(await readN42Text(file.path, file.name, options), file.name, options);
      for (const w of docs.flatMap((d) => d.warnings)) ctx.logger.warn({ file: file.name }, w);
      if (cut) ctx.logger.warn({ file: file.name, offset: cut.offset }, cut.message);
      const source = await ctx.storeRaw(createReadStream(file.path), { name: file.name, contentType: 'application/xml', role: 'source' });
      const drafts = [];
      for (const d of docs) drafts.push(...(await draftsWithEvidence(d, source, ctx.storeRaw)));
      return drafts;
    },
  };
}
