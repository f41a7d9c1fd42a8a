import type { ObservationDraft, RawRef, StoreRawOptions } from '@customs-hub/sdk';
import type { DicosFile } from './dicos-file.js';
import { imageScanDraft } from './image.js';
import { threatReportDraft } from './tdr.js';

/** The registered media type of DICOM Part-10 files. */
export const DICOM_CONTENT_TYPE = 'application/dicom';

/** How a DICOS file is labelled in the raw store. */
export function rawOptions(file: Pick<DicosFile, 'kind' | 'name'>): StoreRawOptions {
  return { contentType: DICOM_CONTENT_TYPE, name: file.name, role: file.kind === 'tdr' ? 'source' : 'image' };
}

/** The observation a parsed DICOS object yields, referencing its raw file. */
export function draftFor(file: DicosFile, raw: RawRef): ObservationDraft {
  return file.kind === 'tdr' ? threatReportDraft(file, raw) : imageScanDraft(file, raw);
}
