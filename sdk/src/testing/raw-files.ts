import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RawHashMismatchError } from '../errors.js';
import type { StoreRaw } from '../context.js';

/** A content-addressed store in a directory, for tests and the inspect command. */
export function directoryRawStore(dir: string): StoreRaw {
  return async (source, options = {}) => {
    await mkdir(dir, { recursive: true });
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
    await rename(tmp, join(dir, sha256));
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
