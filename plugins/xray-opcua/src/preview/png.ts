import { PNG } from 'pngjs';
import type { GrayImage } from './line-shrinker.js';

/** An 8-bit grayscale PNG (pngjs, colour type 0). */
export function grayPng(img: GrayImage<Uint8Array>): Buffer {
  const png = new PNG({ width: img.width, height: img.height, colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
  png.data = Buffer.from(img.pixels.buffer, img.pixels.byteOffset, img.pixels.length);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
}
