import { Readable } from 'node:stream';
import type { RawRef, StoreRaw } from '@customs-hub/sdk';
import type { GateImage } from '../message/gate-message.js';

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

/** Decoded size of a base64 text, without decoding it. */
function decodedSize(b64: string): number {
  const clean = b64.replace(/\s+/g, '');
  const pad = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.floor((clean.length * 3) / 4) - pad;
}

/** One kind of sniffing is enough to name the content when the gate does not. */
function sniff(data: Buffer): string | undefined {
  if (data[0] === 0xff && data[1] === 0xd8) return 'image/jpeg';
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return undefined;
}

const EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/bmp': 'bmp', 'image/tiff': 'tif' };

export interface StoredImages {
  refs: RawRef[];
  problems: string[];
}

/**
 * Stores a reading's images in the raw store (role `image`). An image that is too large or not
 * base64 is not stored; the problem is returned, and the reading itself is kept.
 */
export async function storeImages(images: GateImage[], stem: string, maxBytes: number, storeRaw: StoreRaw): Promise<StoredImages> {
  const refs: RawRef[] = [];
  const problems: string[] = [];
  for (const [i, img] of images.entries()) {
    const label = `image ${i + 1}${img.camera ? ` (${img.camera})` : ''}`;
    const size = decodedSize(img.data);
    if (size > maxBytes) {
      problems.push(`${label}: ${size} bytes exceeds the ${maxBytes}-byte image limit; not stored`);
      continue;
    }
    if (!BASE64.test(img.data)) {
      problems.push(`${label}: data is not base64; not stored`);
      continue;
    }
    const data = Buffer.from(img.data, 'base64');
    if (data.length === 0) {
      problems.push(`${label}: empty; not stored`);
      continue;
    }
    const contentType = img.contentType ?? sniff(data) ?? 'application/octet-stream';
    const name = img.name ?? `${stem}-${img.camera ?? img.side ?? i + 1}.${EXT[contentType] ?? 'bin'}`;
    refs.push(await storeRaw(Readable.from([data]), { contentType, name, role: 'image' }));
  }
  return { refs, problems };
}
