import { createReadStream } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { fileURLToPath } from 'node:url';
import { pipeline, type Readable, type Transform } from 'node:stream';
import type { RawRef, StoreRaw } from '@customs-hub/sdk';

/** An image the scanner announced could not be fetched (HTTP status, refused, timeout, bad URL). */
export class ImageFetchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImageFetchError';
  }
}

/** Where an image is and what the scanner says about it. */
export interface ImageRequest {
  url: string;
  sha256?: string;
  size?: number;
  contentType?: string;
  name?: string;
}

function open(url: URL, signal: AbortSignal): Promise<Readable> {
  if (url.protocol === 'file:') return Promise.resolve(createReadStream(fileURLToPath(url), { signal }));
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.reject(new ImageFetchError(`unsupported image URL scheme '${url.protocol}'`));
  const get = url.protocol === 'https:' ? httpsGet : httpGet;
  return new Promise((resolve, reject) => {
    // agent: false — one connection per image, closed afterwards; nothing lingers after stop().
    const req = get(url, { agent: false, signal }, (res: IncomingMessage) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new ImageFetchError(`GET ${url.href} answered HTTP ${res.statusCode}`));
        return;
      }
      resolve(res);
    });
    req.on('error', (err) => reject(new ImageFetchError(`GET ${url.href} failed: ${err.message}`, { cause: err })));
  });
}

/**
 * Streams an image from the scanner (HTTP, HTTPS or a file share) into the hub's raw store, which
 * hashes it on the way and rejects it with RawHashMismatchError when the announced sha256 differs.
 * The image is never held whole in memory.
 */
export async function fetchImage(req: ImageRequest, storeRaw: StoreRaw, signal: AbortSignal, through?: Transform): Promise<RawRef> {
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    throw new ImageFetchError(`image location '${req.url.slice(0, 200)}' is not a URL`);
  }
  const source = await open(url, signal);
  const options: Parameters<StoreRaw>[1] = { role: 'xray-image' };
  if (req.sha256) options.expectedSha256 = req.sha256;
  if (req.contentType) options.contentType = req.contentType;
  if (req.name) options.name = req.name;
  // `through` sees every byte on its way to the store (the preview is made during the download).
  const body = through ? pipeline(source, through, () => undefined) : source;
  try {
    return await storeRaw(body, options);
  } catch (err) {
    source.destroy();
    if (signal.aborted) throw new ImageFetchError(`GET ${url.href} aborted: ${String(signal.reason?.message ?? signal.reason)}`, { cause: err });
    throw err;
  }
}
