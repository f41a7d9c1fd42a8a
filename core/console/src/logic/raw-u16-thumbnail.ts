/** Thumbnail of a raw 16-bit little-endian transmission image, read as a stream and decimated on the fly. */
/** lineStep: image lines per thumbnail column; pixelStep: detector pixels per thumbnail row. */
export interface Thumbnail {
  width: number;
  height: number;
  pixels: Uint8ClampedArray;
  lineStep: number;
  pixelStep: number;
}

/**
 * Each image line is one detector read-out of widthPx pixels, taken as the conveyance moves through the
 * beam. The thumbnail lays lines left to right (the conveyance's length) and detector pixels top to
 * bottom, keeping every n-th of each; bright is air, dark is dense cargo. Stops after maxBytes.
 */
export async function rawU16Thumbnail(
  body: ReadableStream<Uint8Array>,
  widthPx: number,
  options: { sizeBytes?: number; targetHeight?: number; targetWidth?: number; maxBytes?: number } = {},
): Promise<Thumbnail> {
  const step = Math.max(1, Math.floor(widthPx / (options.targetHeight ?? 160)));
  const rowBytes = widthPx * 2;
  // Lines are kept so that the whole conveyance fits the target width, when the size is known.
  const lines = options.sizeBytes ? Math.floor(options.sizeBytes / rowBytes) : 0;
  const lineStep = lines ? Math.max(1, Math.floor(lines / (options.targetWidth ?? 480))) : step;
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const height = Math.floor(widthPx / step);
  const columns: Uint8Array[] = [];
  const reader = body.getReader();
  let carry = new Uint8Array(0);
  let row = 0,
    read = 0;
  while (read < maxBytes) {
    const { value, done } = await reader.read();
    if (done) break;
    read += value.length;
    const buf = carry.length ? concat(carry, value) : value;
    let offset = 0;
    for (; offset + rowBytes <= buf.length; offset += rowBytes, row++) {
      if (row % lineStep !== 0) continue;
      const col = new Uint8Array(height);
      const view = new DataView(buf.buffer, buf.byteOffset + offset, rowBytes);
      for (let y = 0; y < height; y++) col[y] = view.getUint16(y * step * 2, true) >> 8;
      columns.push(col);
    }
    carry = buf.slice(offset);
  }
  await reader.cancel().catch(() => undefined);
  const width = columns.length;
  const pixels = new Uint8ClampedArray(width * height * 4);
  for (let x = 0; x < width; x++) {
    const col = columns[x]!;
    for (let y = 0; y < height; y++) {
      const i = (y * width + x) * 4;
      pixels[i] = pixels[i + 1] = pixels[i + 2] = col[y]!;
      pixels[i + 3] = 255;
    }
  }
  return { width, height, pixels, lineStep, pixelStep: step };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
