import type { RawLayout } from './raw-format.js';

/** A grey image of at most a few megapixels, row-major. */
export interface GrayImage<T extends Uint16Array | Uint8Array = Uint16Array> {
  width: number;
  height: number;
  pixels: T;
}

/**
 * Shrinks a transmission image read line by line (each line one detector read-out of `columns`
 * samples) by box averaging factor×factor blocks, and lays it out as an officer looks at a truck:
 * lines left to right, detector pixels top to bottom. Memory is the output and one line of sums.
 */
export class LineShrinker {
  readonly factor: number;
  readonly out: GrayImage;
  private readonly sums: Float64Array;
  /** The output row (block of detector pixels) of each detector pixel. */
  private readonly blockOf: Uint32Array;
  private inGroup = 0;
  private column = 0;
  private seen = 0;

  constructor(
    readonly columns: number,
    readonly lines: number,
    maxSide: number,
    private readonly layout: RawLayout,
  ) {
    this.factor = Math.max(1, Math.ceil(Math.max(columns, lines) / maxSide));
    const height = Math.ceil(columns / this.factor);
    const width = Math.ceil(lines / this.factor);
    this.out = { width, height, pixels: new Uint16Array(width * height) };
    this.sums = new Float64Array(height);
    this.blockOf = new Uint32Array(columns);
    for (let c = 0; c < columns; c++) this.blockOf[c] = Math.floor(c / this.factor);
  }

  /** Lines taken so far (lines past the announced count are counted, not kept). */
  get linesSeen(): number {
    return this.seen;
  }

  /** One line: its samples start at buf[offset]. */
  push(buf: Uint8Array, offset: number): void {
    this.seen++;
    if (this.column >= this.out.width) return;
    const { sums, blockOf, columns } = this;
    // One flat loop per layout: the hot path of a 200 MB image, kept free of calls and divisions.
    if (this.layout.bytesPerSample === 1) {
      for (let c = 0, o = offset; c < columns; c++, o++) sums[blockOf[c]!]! += buf[o]!;
    } else if (this.layout.littleEndian) {
      for (let c = 0, o = offset; c < columns; c++, o += 2) sums[blockOf[c]!]! += buf[o]! | (buf[o + 1]! << 8);
    } else {
      for (let c = 0, o = offset; c < columns; c++, o += 2) sums[blockOf[c]!]! += (buf[o]! << 8) | buf[o + 1]!;
    }
    if (++this.inGroup === this.factor) this.flush();
  }

  /** Writes the last, partial group of lines; call once at the end. Cropped to the lines that came. */
  finish(): GrayImage {
    if (this.inGroup > 0) this.flush();
    const { width, height, pixels } = this.out;
    if (this.column === width) return this.out;
    const cropped = new Uint16Array(this.column * height);
    for (let y = 0; y < height; y++) cropped.set(pixels.subarray(y * width, y * width + this.column), y * this.column);
    return { width: this.column, height, pixels: cropped };
  }

  private flush(): void {
    const { sums, factor, columns, inGroup } = this;
    const { width, pixels } = this.out;
    for (let b = 0; b < sums.length; b++) {
      const blockWidth = Math.min(factor, columns - b * factor);
      pixels[b * width + this.column] = Math.round(sums[b]! / (blockWidth * inGroup));
      sums[b] = 0;
    }
    this.inGroup = 0;
    this.column++;
  }
}

/** An 8-bit image scaled down by box averaging so that its longer side is at most maxSide. */
export function shrink8(img: GrayImage<Uint8Array>, maxSide: number): GrayImage<Uint8Array> {
  const f = Math.max(1, Math.ceil(Math.max(img.width, img.height) / maxSide));
  if (f === 1) return img;
  const width = Math.ceil(img.width / f);
  const height = Math.ceil(img.height / f);
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0,
        n = 0;
      for (let dy = 0; dy < f && y * f + dy < img.height; dy++) {
        for (let dx = 0; dx < f && x * f + dx < img.width; dx++) {
          sum += img.pixels[(y * f + dy) * img.width + x * f + dx]!;
          n++;
        }
      }
      pixels[y * width + x] = Math.round(sum / n);
    }
  }
  return { width, height, pixels };
}
