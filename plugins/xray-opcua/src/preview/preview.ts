import { Readable } from 'node:stream';
import type { RawRef, StoreRaw } from '@customs-hub/sdk';
import { percentileWindow, render, type DisplayWindow } from './display-window.js';
import { LineShrinker, shrink8 } from './line-shrinker.js';
import { grayPng } from './png.js';
import { PREVIEW_FORMATS, rawLayout } from './raw-format.js';
import { PreviewTap } from './preview-tap.js';

/** Longest side of the zoomable full view (a truck is long) and of the thumbnail, in pixels. */
export const FULL_VIEW_MAX = 4096;
export const THUMBNAIL_MAX = 256;

/** What the scanner says about an image, as far as a preview needs it. */
export interface ImageShape {
  format?: string;
  widthPx?: number;
  heightPx?: number;
  size?: number;
}

/** What an image's preview adds to its observation. */
export interface CargoPreview {
  /** The full view (role 'preview') and the thumbnail (role 'thumbnail'), both 8-bit PNG. */
  refs: RawRef[];
  window: DisplayWindow;
  /** Source pixels per full-view pixel, both ways. */
  scale: number;
  /** Lines the image really had (whole detector read-outs). */
  lines: number;
  /** Something about the image the preview had to work around, e.g. fewer lines than announced. */
  note?: string;
}

/** A preview being made while the image streams by: pipe the image through `tap`, then `finish`. */
export interface PreviewJob {
  tap: PreviewTap;
  finish(storeRaw: StoreRaw, stem: string): Promise<CargoPreview>;
}

/**
 * Plans the preview of a raw transmission image (lines of ImageWidth samples): a job, or why there is
 * none (the image is then stored without one). Memory is the preview, whatever the image's size.
 */
export function planPreview(shape: ImageShape): PreviewJob | { reason: string } {
  const layout = rawLayout(shape.format);
  if (!layout) return { reason: `image format '${shape.format ?? '(none)'}' is not decoded (${PREVIEW_FORMATS.join(', ')} are)` };
  const columns = shape.widthPx;
  if (!columns || !Number.isInteger(columns) || columns < 1) return { reason: 'the scanner announced no ImageWidth' };
  const lineBytes = columns * layout.bytesPerSample;
  const lines = shape.heightPx || (shape.size ? Math.floor(shape.size / lineBytes) : 0);
  if (!lines) return { reason: 'the scanner announced neither ImageHeight nor ImageSize' };
  const shrinker = new LineShrinker(columns, lines, FULL_VIEW_MAX, layout);
  const tap = new PreviewTap(shrinker, lineBytes);
  return {
    tap,
    async finish(storeRaw, stem) {
      const seen = shrinker.linesSeen;
      if (seen === 0) throw new Error(`the image holds no whole line of ${lineBytes} bytes`);
      const image = shrinker.finish();
      const window = percentileWindow(image);
      const full = render(image, window);
      const thumb = shrink8(full, THUMBNAIL_MAX);
      const refs = [
        await storeRaw(Readable.from([grayPng(full)]), { name: `${stem}.preview.png`, contentType: 'image/png', role: 'preview' }),
        await storeRaw(Readable.from([grayPng(thumb)]), { name: `${stem}.thumbnail.png`, contentType: 'image/png', role: 'thumbnail' }),
      ];
      const notes: string[] = [];
      if (seen !== lines) notes.push(`the image has ${seen} lines, ${lines} were announced`);
      if (tap.trailingBytes) notes.push(`${tap.trailingBytes} bytes after the last whole line`);
      const out: CargoPreview = { refs, window, scale: shrinker.factor, lines: seen };
      if (notes.length) out.note = notes.join('; ');
      return out;
    },
  };
}
