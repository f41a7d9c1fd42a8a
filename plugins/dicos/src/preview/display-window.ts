import type { GrayImage } from './gray-image.js';

/** How stored sample values map to display brightness. */
export interface DisplayWindow {
  /** VOI window from the file (Window Center/Width), else the 1st–99th percentile of the samples. */
  center: number;
  width: number;
  source: 'file' | 'percentiles';
  /** MONOCHROME1: the lowest value is white. */
  inverted: boolean;
}

/** The window to show a frame with: the file's VOI window when it gives a usable one, else the samples' spread. */
export function chooseWindow(img: GrayImage, voi: { center?: number; width?: number }, inverted: boolean): DisplayWindow {
  if (voi.center !== undefined && voi.width !== undefined && voi.width >= 1) return { center: voi.center, width: voi.width, source: 'file', inverted };
  // A histogram over the 16-bit range: linear in the samples, no sort of megapixels.
  const hist = new Uint32Array(65536);
  const base = img.pixels instanceof Int16Array ? 32768 : 0;
  for (let i = 0; i < img.pixels.length; i++) hist[img.pixels[i]! + base]!++;
  const at = (q: number) => {
    const target = Math.floor((img.pixels.length - 1) * q);
    let seen = 0;
    for (let v = 0; v < hist.length; v++) {
      seen += hist[v]!;
      if (seen > target) return v - base;
    }
    return 0;
  };
  const lo = at(0.01);
  const hi = at(0.99);
  return { center: (lo + hi) / 2, width: Math.max(1, hi - lo), source: 'percentiles', inverted };
}

/** Renders samples through a window to 8-bit gray (DICOM's linear VOI function). */
export function render(img: GrayImage, w: DisplayWindow): GrayImage<Uint8Array> {
  const pixels = new Uint8Array(img.width * img.height);
  const low = w.center - 0.5 - (w.width - 1) / 2;
  const span = Math.max(1, w.width - 1);
  for (let i = 0; i < pixels.length; i++) {
    const v = Math.round(((img.pixels[i]! - low) / span) * 255);
    const c = v < 0 ? 0 : v > 255 ? 255 : v;
    pixels[i] = w.inverted ? 255 - c : c;
  }
  return { width: img.width, height: img.height, pixels };
}
