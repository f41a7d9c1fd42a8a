import type { Logger, ObservationDraft, RawRef, StoreRaw, StoreRawOptions } from '@customs-hub/sdk';
import { NoPreviewError } from './preview/frame.js';
import { storePreview } from './preview/preview.js';
import type { DicosFile } from './dicos-file.js';
import { imageScanDraft } from './image.js';
import { threatReportDraft } from './tdr.js';

/** The registered media type of DICOM Part-10 files. */
export const DICOM_CONTENT_TYPE = 'application/dicom';

/** How a DICOS file is labelled in the raw store. */
export function rawOptions(file: Pick<DicosFile, 'kind' | 'name'>): StoreRawOptions {
  return { contentType: DICOM_CONTENT_TYPE, name: file.name, role: file.kind === 'tdr' ? 'source' : 'image' };
}

/**
 * The observation a parsed DICOS object yields, referencing its raw file; an image also gets its
 * preview (full view and thumbnail PNG) stored beside it. An image that cannot be previewed is still
 * announced, its quality saying why there is no preview.
 */
export async function draftFor(file: DicosFile, raw: RawRef, path: string, ctx: { storeRaw: StoreRaw; logger: Logger }): Promise<ObservationDraft> {
  if (file.kind === 'tdr') return threatReportDraft(file, raw);
  const draft = imageScanDraft(file, raw);
  try {
    const preview = await storePreview(path, file, ctx.storeRaw);
    draft.raw = [raw, ...preview.refs];
    const dicos = (draft.extensions as { dicos: Record<string, unknown> }).dicos;
    dicos['preview'] = {
      frame: preview.frame,
      scale: preview.scale,
      window: { center: preview.window.center, width: preview.window.width, source: preview.window.source },
    };
  } catch (err) {
    if (!(err instanceof NoPreviewError)) throw err;
    ctx.logger.warn({ file: file.name, reason: err.message }, 'DICOS image stored without a preview');
    draft.quality = { status: 'good', reasons: [`no preview: ${err.message.slice(0, 180)}`] };
  }
  return draft;
}
