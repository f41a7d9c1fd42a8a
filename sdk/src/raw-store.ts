import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RawHashMismatchError } from './errors.js';
import type { StoreRaw } from './context.js';

/** Where a file of the given sha256 lives in a directory raw store (sharded by its first two hex digits). */
export function rawFilePath(dir: string, sha256: string): string {
  return join(dir, sha256.slice(0, 2), sha256);
}

/**
 * A content-addressed store in a directory: streams to a temp file while hashing, then renames into place.
 * The hub's raw store is this one; tests and the inspect command use it too.
 */
export function directoryRawStore(dir: string): StoreRaw {
  return async (source, options = {}) => {
    // A file source may fail (vanished file) before the pipeline listens; keep that error instead of crashing.
    let early: Error | null = null;
    const onEarly = (e: Error) => { early = e; };
    if (source instanceof Readable) source.once('error', onEarly);
    await mkdir(dir, { recursive: true });
    if (source instanceof Readable) source.off('error', onEarly);
    if (early) throw early;
    const hash = createHash('sha256');
    let size = 0;
    const tmp = join(dir, `.tmp-${randomUUID()}`);
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) { hash.update(chunk); size += chunk.length; cb(null, chunk); },
    });
    const input = source instanceof Readable ? source : Readable.from(source);
    try {
      await pipeline(input, tap, createWriteStream(tmp));
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    const sha256 = hash.digest('hex');
    const key = `sha256/${sha256}`;
    if (options.expectedSha256 && options.expectedSha256.toLowerCase() !== sha256) {
      await rm(tmp, { force: true });
      throw new RawHashMismatchError(options.expectedSha256, sha256, key);
    }
    const target = rawFilePath(dir, sha256);
    await mkdir(join(dir, sha256.slice(0, 2)), { recursive: true });
    await rename(tmp, target);
    return { sha256, key, size, ...pick(options) };
  };
}

function pick(o: { contentType?: string; name?: string; role?: string }) {
  const out: { contentType?: string; name?: string; role?: string } = {};
  if (o.contentType) out.contentType = o.contentType;
  if (o.name) out.name = o.name;
  if (o.role) out.role = o.role;
  return out;
}
