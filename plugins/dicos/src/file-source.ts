import { createReadStream } from 'node:fs';

/**
 * A file's bytes for storeRaw, opened only when the store starts reading: a stream opened earlier
 * could fail (file gone) before anyone listens for its 'error', which would crash the process.
 */
export async function* fileSource(path: string): AsyncGenerator<Uint8Array> {
  for await (const chunk of createReadStream(path)) yield chunk as Uint8Array;
}
