import { Readable } from 'node:stream';
import type { RawRef, StoreRaw } from '@customs-hub/sdk';
import type { DicosFile } from '../dicos-file.js';
import { chooseWindow, render, type DisplayWindow } from './display-window.js';
import { previewFrame } from './frame.js';
import { shrink } from './gray-image.js';
import { grayPng } from './png.js';

/** Longest side of the zoomable full view and of the thumbnail, in pixels. */
export const FULL_VIEW_MAX = 2048;
export const THUMBNAIL_MAX = 256;

/** What an image's preview adds to its observation. */
export interface Preview {
  /** The full view (role 'preview') and the thumbnail (role 'thumbnail'), both 8-bit PNG. */
  refs: RawRef[];
  window: DisplayWindow;
  /** The frame shown (the middle one of a CT volume), counted from 0. */
  frame: number;
  frames: number;
  /** Source pixels per full-view pixel. */
  scale: number;
}

/**
 * Decodes a DICOS image into an officer's preview and stores it raw beside the original: a full view of
 * at most FULL_VIEW_MAX pixels a side, and a thumbnail. Throws NoPreviewError when the image cannot be shown.
 */
export async function storePreview(path: string, file: DicosFile, storeRaw: StoreRaw): Promise<Preview> {
  const { image, layout, frame } = await previewFrame(path, file, FULL_VIEW_MAX);
  const window = chooseWindow(image, layout.voi, layout.inverted);
  const full = render(image, window);
  const thumb = shrink(full, THUMBNAIL_MAX);
  const stem = file.sopInstanceUid.slice(0, 200);
  const refs = [
    await storeRaw(Readable.from([grayPng(full)]), { name: `${stem}.preview.png`, contentType: 'image/png', role: 'preview' }),
    await storeRaw(Readable.from([grayPng(thumb)]), { name: `${stem}.thumbnail.png`, contentType: 'image/png', role: 'thumbnail' }),
  ];
  return { refs, window, frame, frames: layout.frames, scale: layout.columns / full.width };
}
