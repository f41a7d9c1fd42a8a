import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { seededRandom } from '@customs-hub/sdk';

/** A simulated transmission image: 16-bit little-endian grey levels, DETECTOR_COLUMNS wide. */
export interface ImageSpec {
  seed: number;
  sizeBytes: number;
  /** Flip one byte in the middle: the served file no longer matches its announced hash. */
  corrupt?: boolean;
}

/** Pixels per image line, the detector columns of a typical cargo scanner. */
export const DETECTOR_COLUMNS = 2048;
/** What ImageFormat says about the simulated images. */
export const IMAGE_FORMAT = 'raw-u16le';
const ROW_BYTES = DETECTOR_COLUMNS * 2;
const CHUNK_ROWS = 256; // 1 MiB chunks

/** Builds 256 rows of plausible attenuation profiles (dark cargo, bright air gaps), once per image. */
function baseBlock(seed: number): Buffer {
  const rand = seededRandom(seed);
  const block = Buffer.allocUnsafe(ROW_BYTES * CHUNK_ROWS);
  const cargoStart = Math.floor(DETECTOR_COLUMNS * (0.1 + 0.1 * rand()));
  const cargoEnd = Math.floor(DETECTOR_COLUMNS * (0.8 + 0.1 * rand()));
  for (let r = 0; r < CHUNK_ROWS; r++) {
    const density = 0.3 + 0.5 * rand();
    for (let c = 0; c < DETECTOR_COLUMNS; c++) {
      const inCargo = c >= cargoStart && c < cargoEnd;
      const level = inCargo ? 65535 * (1 - density) * (0.9 + 0.2 * rand()) : 60000 + 5000 * rand();
      block.writeUInt16LE(Math.min(65535, Math.max(0, Math.round(level))), r * ROW_BYTES + c * 2);
    }
  }
  return block;
}

/**
 * Streams the image chunk by chunk (1 MiB, each a copy of the base block stamped with its index), so
 * a 200 MB image costs the simulator about 2 MiB of memory.
 */
export function imageStream(spec: ImageSpec): Readable {
  const base = baseBlock(spec.seed);
  const chunks = Math.ceil(spec.sizeBytes / base.length);
  const corruptChunk = Math.floor(chunks / 2);
  let i = 0;
  return new Readable({
    highWaterMark: base.length,
    read() {
      if (i >= chunks) {
        this.push(null);
        return;
      }
      const len = Math.min(base.length, spec.sizeBytes - i * base.length);
      const chunk = Buffer.allocUnsafe(len);
      base.copy(chunk, 0, 0, len);
      if (len >= 8) {
        chunk.writeUInt32LE(i, 0);
        chunk.writeUInt32LE(spec.seed >>> 0, 4);
      }
      if (spec.corrupt && i === corruptChunk) chunk[len >> 1] = chunk[len >> 1]! ^ 0xff;
      i++;
      this.push(chunk);
    },
  });
}

/** The sha256 of the image as it should be (never corrupted), computed by streaming it once. */
export async function imageSha256(spec: ImageSpec): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of imageStream({ ...spec, corrupt: false })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Rows of the image (the last one may be partial). */
export function imageHeight(sizeBytes: number): number {
  return Math.ceil(sizeBytes / ROW_BYTES);
}
