import type { RawRef, StoreRaw } from '@customs-hub/sdk';
import { fetchImage, type ImageRequest } from './image-fetch.js';
import { planPreview, type CargoPreview, type ImageShape } from './preview/preview.js';

/** A scan's image in the raw store, with its preview or why it has none. */
export interface StoredScanImage {
  ref: RawRef;
  preview?: CargoPreview;
  previewProblem?: string;
}

/**
 * Streams a scan's image into the raw store and, in the same pass, shrinks it into a preview (full view
 * and thumbnail PNG) stored beside it. A hash mismatch or a failed download throws as fetchImage does; an
 * image that cannot be previewed is still stored, with the reason.
 */
export async function storeScanImage(req: ImageRequest, shape: ImageShape, storeRaw: StoreRaw, signal: AbortSignal, stem: string): Promise<StoredScanImage> {
  const plan = planPreview(shape);
  if ('reason' in plan) return { ref: await fetchImage(req, storeRaw, signal), previewProblem: plan.reason };
  const ref = await fetchImage(req, storeRaw, signal, plan.tap);
  try {
    return { ref, preview: await plan.finish(storeRaw, stem) };
  } catch (err) {
    if (err instanceof TypeError || err instanceof RangeError) throw err;
    return { ref, previewProblem: (err as Error).message };
  }
}
