import { Readable } from 'node:stream';
import type { RawRef, StoreRaw } from '@customs-hub/sdk';
import type { PlateImage } from '../message/plate-event.js';

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

function decodedSize(b64: string): number {
  const clean = b64.replace(/\s+/g, '');
  const pad = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.floor((clean.length * 3) / 4) - pad;
}

function sniff(data: Buffer): string | undefined {
  if (data[0] === 0xff && data[1] === 0xd8) return 'image/jpeg';
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return undefined;
}

const EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/bmp': 'bmp' };

/**
 * Stores a read's plate and overview images in the raw store (roles `plate-image`, `overview-image`).
 * One too large, not base64 or empty is not stored; the problem is returned and the read is kept.
 */
export async function storeImages(images: PlateImage[], stem: string, maxBytes: number, storeRaw: StoreRaw): Promise<{ refs: RawRef[]; problems: string[] }> {
  const refs: RawRef[] = [];
  const problems: string[] = [];
  for (const img of images) {
    const label = `${img.role} image`;
    const size = typeof img.data === 'string' ? decodedSize(img.data) : img.data.length;
    if (size > maxBytes) {
      problems.push(`${label}: ${size} bytes exceeds the ${maxBytes}-byte image limit; not stored`);
      continue;
    }
    if (typeof img.data === 'string' && !BASE64.test(img.data)) {
      problems.push(`${label}: data is not base64; not stored`);
      continue;
    }
    const data = typeof img.data === 'string' ? Buffer.from(img.data, 'base64') : img.data;
    if (data.length === 0) {
      problems.push(`${label}: empty; not stored`);
      continue;
    }
    const contentType = img.contentType ?? sniff(data) ?? 'application/octet-stream';
    const name = (img.name ?? `${stem}-${img.role}.${EXT[contentType] ?? 'bin'}`).slice(0, 255);
    refs.push(await storeRaw(Readable.from([data]), { contentType, name, role: `${img.role}-image` }));
  }
  return { refs, problems };
}
