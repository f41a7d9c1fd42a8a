/** A grayscale image of at most a few megapixels: the decimated frame, or its 8-bit rendering. */
export interface GrayImage<T extends Uint16Array | Int16Array | Uint8Array = Uint16Array | Int16Array | Uint8Array> {
  width: number;
  height: number;
  pixels: T;
}

/**
 * Keeps rows and columns of a frame being read row by row so that neither side exceeds maxSide
 * (every step-th one, the same step both ways so the aspect ratio holds). Memory is the output only.
 */
export class Decimator<T extends Uint16Array | Int16Array> {
  readonly step: number;
  readonly out: GrayImage<T>;
  private row = 0;

  constructor(
    readonly srcWidth: number,
    readonly srcHeight: number,
    maxSide: number,
    make: (n: number) => T,
  ) {
    this.step = Math.max(1, Math.ceil(Math.max(srcWidth, srcHeight) / maxSide));
    const width = Math.ceil(srcWidth / this.step);
    const height = Math.ceil(srcHeight / this.step);
    this.out = { width, height, pixels: make(width * height) };
  }

  /** One source row (its samples); rows past the frame are ignored. */
  push(samples: ArrayLike<number>): void {
    if (this.row < this.srcHeight && this.row % this.step === 0) {
      const y = this.row / this.step;
      const { width, pixels } = this.out;
      for (let x = 0; x < width; x++) pixels[y * width + x] = samples[x * this.step]!;
    }
    this.row++;
  }

  get rows(): number {
    return this.row;
  }
}

/** An 8-bit image scaled down by box averaging so that its longer side is at most maxSide. */
export function shrink(img: GrayImage<Uint8Array>, maxSide: number): GrayImage<Uint8Array> {
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
