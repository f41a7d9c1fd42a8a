import { createReadStream } from 'node:fs';
import { readEncapsulatedImageFrame, readEncapsulatedPixelDataFromFragments, type DataSet } from 'dicom-parser';
import { Decoder } from 'jpeg-lossless-decoder-js';
import { text, uint16 } from '../dataset.js';
import type { DicosFile } from '../dicos-file.js';
import { TAG } from '../tags.js';
import { Decimator, type GrayImage } from './gray-image.js';

/** Why a preview cannot be made; the image itself is still stored and announced. */
export class NoPreviewError extends Error {}

const NATIVE = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1']);
/** JPEG lossless, process 14, and its selection-value-1 form: what DICOS units and the public samples use. */
const JPEG_LOSSLESS = new Set(['1.2.840.10008.1.2.4.57', '1.2.840.10008.1.2.4.70']);
/** A JPEG lossless frame is decoded whole (the decoder cannot stream); bigger ones get no preview. */
export const MAX_JPEG_PIXELS = 40_000_000;

/** The pixel layout of a monochrome DICOS image. */
export interface FrameLayout {
  rows: number;
  columns: number;
  frames: number;
  bitsAllocated: 8 | 16;
  bitsStored: number;
  signed: boolean;
  inverted: boolean;
  voi: { center?: number; width?: number };
}

export function frameLayout(ds: DataSet): FrameLayout {
  const rows = uint16(ds, TAG.rows);
  const columns = uint16(ds, TAG.columns);
  if (!rows || !columns) throw new NoPreviewError('no Rows/Columns');
  const spp = uint16(ds, TAG.samplesPerPixel) ?? 1;
  const photometric = text(ds, TAG.photometricInterpretation) ?? 'MONOCHROME2';
  if (spp !== 1 || !/^MONOCHROME[12]$/.test(photometric)) throw new NoPreviewError(`${photometric} with ${spp} samples per pixel is not a monochrome image`);
  const bitsAllocated = uint16(ds, TAG.bitsAllocated) ?? 16;
  if (bitsAllocated !== 8 && bitsAllocated !== 16) throw new NoPreviewError(`${bitsAllocated} bits allocated per sample is not supported`);
  const bitsStored = Math.min(bitsAllocated, uint16(ds, TAG.bitsStored) ?? bitsAllocated);
  const frames = Math.max(1, Number(text(ds, TAG.numberOfFrames) ?? 1) || 1);
  const num = (tag: string) => {
    const v = Number(ds.string(tag)?.split('\\')[0]);
    return Number.isFinite(v) && ds.string(tag) ? v : undefined;
  };
  const voi: FrameLayout['voi'] = {};
  const center = num(TAG.windowCenter);
  const width = num(TAG.windowWidth);
  if (center !== undefined) voi.center = center;
  if (width !== undefined) voi.width = width;
  return { rows, columns, frames, bitsAllocated, bitsStored, signed: uint16(ds, TAG.pixelRepresentation) === 1, inverted: photometric === 'MONOCHROME1', voi };
}

/**
 * The frame to preview (the middle one of a multi-frame CT volume), decimated while it is read so that
 * neither side exceeds maxSide. Uncompressed pixel data is streamed from the file row by row; a JPEG
 * lossless frame is decoded with jpeg-lossless-decoder-js.
 */
export async function previewFrame(path: string, file: DicosFile, maxSide: number): Promise<{ image: GrayImage; layout: FrameLayout; frame: number }> {
  const ds = file.dataSet;
  const layout = frameLayout(ds);
  const frame = Math.floor((layout.frames - 1) / 2);
  const decimator = new Decimator(layout.columns, layout.rows, maxSide, (n) => (layout.signed ? new Int16Array(n) : new Uint16Array(n)));
  const el = ds.elements[TAG.pixelData];
  if (!el) throw new NoPreviewError('no pixel data');
  if (NATIVE.has(file.transferSyntaxUid)) {
    const bytesPerSample = layout.bitsAllocated / 8;
    const frameBytes = layout.rows * layout.columns * bytesPerSample;
    if (el.length < frameBytes * (frame + 1)) throw new NoPreviewError(`pixel data has ${el.length} bytes, less than ${frame + 1} frame(s) of ${frameBytes}`);
    await streamRows(path, el.dataOffset + frame * frameBytes, layout, decimator);
  } else if (JPEG_LOSSLESS.has(file.transferSyntaxUid)) {
    if (layout.rows * layout.columns > MAX_JPEG_PIXELS)
      throw new NoPreviewError(`JPEG lossless frame of ${layout.columns}×${layout.rows} is above the ${MAX_JPEG_PIXELS}-pixel decoding bound`);
    const data = layout.frames > 1 ? readEncapsulatedImageFrame(ds, el, frame) : readEncapsulatedPixelDataFromFragments(ds, el, 0, el.fragments?.length ?? 0);
    let decoded: ArrayBuffer;
    try {
      decoded = new Decoder().decompress(data.buffer.slice(data.byteOffset, data.byteOffset + data.length) as ArrayBuffer);
    } catch (err) {
      throw new NoPreviewError(`JPEG lossless data does not decode: ${(err as Error).message ?? String(err)}`);
    }
    const samples =
      decoded.byteLength >= layout.rows * layout.columns * 2 ? (layout.signed ? new Int16Array(decoded) : new Uint16Array(decoded)) : new Uint8Array(decoded);
    if (samples.length < layout.rows * layout.columns)
      throw new NoPreviewError(`JPEG lossless frame decodes to ${samples.length} samples, not ${layout.columns}×${layout.rows}`);
    for (let y = 0; y < layout.rows; y++) decimator.push(samples.subarray(y * layout.columns, (y + 1) * layout.columns));
  } else {
    throw new NoPreviewError(`transfer syntax ${file.transferSyntaxUid || '(none)'} is not decoded (uncompressed and JPEG lossless are)`);
  }
  return { image: decimator.out, layout, frame };
}

/** Reads one frame's rows from the file, keeping only what the decimator keeps; memory is one chunk. */
async function streamRows(path: string, start: number, layout: FrameLayout, decimator: Decimator<Uint16Array | Int16Array>): Promise<void> {
  const bps = layout.bitsAllocated / 8;
  const rowBytes = layout.columns * bps;
  const mask = (1 << layout.bitsStored) - 1;
  const signBit = 1 << (layout.bitsStored - 1);
  const row = new Int32Array(layout.columns);
  let carry: Buffer = Buffer.alloc(0);
  const stream = createReadStream(path, { start, end: start + rowBytes * layout.rows - 1, highWaterMark: Math.max(65536, rowBytes) });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let off = 0;
    for (; off + rowBytes <= buf.length; off += rowBytes) {
      if (decimator.rows % decimator.step === 0) {
        for (let x = 0; x < layout.columns; x += decimator.step) {
          let v = (bps === 2 ? buf.readUInt16LE(off + x * 2) : buf[off + x]!) & mask;
          if (layout.signed && v & signBit) v -= signBit * 2;
          row[x] = v;
        }
      }
      decimator.push(row);
    }
    carry = buf.subarray(off);
  }
  if (decimator.rows < layout.rows) throw new NoPreviewError(`pixel data ends after ${decimator.rows} of ${layout.rows} rows`);
}
