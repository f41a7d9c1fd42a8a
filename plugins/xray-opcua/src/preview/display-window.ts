import type { GrayImage } from './line-shrinker.js';

/** The grey levels shown from black to white: the 1st–99th percentile of the preview's samples. */
export interface DisplayWindow {
  low: number;
  high: number;
}

/** A histogram over the 16-bit range: linear in the samples, no sort of megapixels. */
export function percentileWindow(img: GrayImage): DisplayWindow {
  const hist = new Uint32Array(65536);
  for (let i = 0; i < img.pixels.length; i++) hist[img.pixels[i]!]!++;
  const at = (q: number) => {
    const target = Math.floor((img.pixels.length - 1) * q);
    let seen = 0;
    for (let v = 0; v < hist.length; v++) {
      seen += hist[v]!;
      if (seen > target) return v;
    }
    return 0;
  };
  const low = at(0.01);
  return { low, high: Math.max(low + 1, at(0.99)) };
}

/** Renders samples linearly through the window to 8-bit grey (air stays bright, dense cargo dark). */
export function render(img: GrayImage, w: DisplayWindow): GrayImage<Uint8Array> {
  const pixels = new Uint8Array(img.width * img.height);
  const span = w.high - w.low;
  for (let i = 0; i < pixels.length; i++) {
    const v = Math.round(((img.pixels[i]! - w.low) / span) * 255);
    pixels[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return { width: img.width, height: img.height, pixels };
}
