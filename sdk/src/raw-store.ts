import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RawHashMismatchError, RawStoreFullError } from './errors.js';
import type { StoreRaw } from './context.js';

/** Where a file of the given sha256 lives in a directory raw store (sharded by its first two hex digits). */
export function rawFilePath(dir: string, sha256: string): string {
  return join(dir, sha256.slice(0, 2), sha256);
}

export interface DirectoryRawStoreOptions {
  /** Refuse files (RawStoreFullError, retryable) while the file system has less free space than this. */
  minFreeBytes?: number;
}

/** Free bytes for unprivileged writers on the file system holding `dir` (or its nearest existing parent). */
export async function freeBytes(dir: string): Promise<{ free: number; total: number }> {
  const s = await statfs(dir);
  return { free: s.bavail * s.bsize, total: s.blocks * s.bsize };
}

/**
 * A content-addressed store in a directory: streams to a temp file while hashing, then renames into place.
 * The hub's raw store is this one; tests and the inspect command use it too. Below `minFreeBytes` of free
 * space, or when the disk fills during a write, it refuses with RawStoreFullError and leaves nothing behind.
 */
export function directoryRawStore(dir: string, storeOptions: DirectoryRawStoreOptions = {}): StoreRaw {
  return async (source, options = {}) => {
    // A file source may fail (vanished file) before the pipeline listens; keep that error instead of crashing.
    let early: Error | null = null;
    const onEarly = (e: Error) => {
      early = e;
    };
    if (source instanceof Readable) source.once('error', onEarly);
    await mkdir(dir, { recursive: true });
    if (source instanceof Readable) source.off('error', onEarly);
    if (early) throw early;
    if (storeOptions.minFreeBytes) {
      const { free } = await freeBytes(dir);
      if (free < storeOptions.minFreeBytes) {
        if (source instanceof Readable) source.resume();
        throw new RawStoreFullError(
          `raw store refuses files: ${mb(free)} MB free on the hub's disk, below the critical watermark of ${mb(storeOptions.minFreeBytes)} MB; retry later`,
        );
      }
    }
    const hash = createHash('sha256');
    let size = 0;
    const tmp = join(dir, `.tmp-${randomUUID()}`);
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        size += chunk.length;
        cb(null, chunk);
      },
    });
    const input = source instanceof Readable ? source : Readable.from(source);
    try {
      await pipeline(input, tap, createWriteStream(tmp));
    } catch (err) {
      await rm(tmp, { force: true });
      if ((err as { code?: string }).code === 'ENOSPC') throw new RawStoreFullError("raw store refuses files: the hub's disk is full; retry later");
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

function mb(bytes: number): string {
  return (bytes / 1048576).toFixed(1);
}

function pick(o: { contentType?: string; name?: string; role?: string }) {
  const out: { contentType?: string; name?: string; role?: string } = {};
  if (o.contentType) out.contentType = o.contentType;
  if (o.name) out.name = o.name;
  if (o.role) out.role = o.role;
  return out;
}
