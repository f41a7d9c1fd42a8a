import type { ObservationDraft, RawRef } from '@customs-hub/sdk';
import { compact } from './compact.js';
import type { DicosFile } from './dicos-file.js';
import { text, texts, uint16 } from './dataset.js';
import { inspectionContext } from './object-of-inspection.js';
import { TAG } from './tags.js';

/**
 * A DX or CT image: stored raw, announced as an xray.scan with imageStatus 'stored' and no findings
 * (findings of a DICOS unit arrive in its TDR, which names the image by SOP Instance UID = scanId).
 */
export function imageScanDraft(file: DicosFile, raw: RawRef): ObservationDraft<'xray.scan'> {
  const ds = file.dataSet;
  const ooi = inspectionContext(ds);
  const image: NonNullable<ObservationDraft<'xray.scan'>['payload']['image']> = {
    location: raw.key,
    size: raw.size,
    sha256: raw.sha256,
    format: file.sopClassName,
  };
  const columns = uint16(ds, TAG.columns);
  const rows = uint16(ds, TAG.rows);
  if (columns !== undefined) image.widthPx = columns;
  if (rows !== undefined) image.heightPx = rows;
  const draft: ObservationDraft<'xray.scan'> = {
    kind: 'xray.scan',
    sourceId: file.sopInstanceUid,
    payload: { scanId: file.sopInstanceUid, imageStatus: 'stored', image, findings: [] },
    raw: [raw],
    extensions: {
      dicos: compact({
        sopClassUid: file.sopClassUid,
        transferSyntaxUid: file.transferSyntaxUid,
        objectOfInspectionId: ooi.ooiId,
        ooiIdType: ooi.ooiIdType,
        ooiType: ooi.ooiType,
        modality: text(ds, TAG.modality),
        imageType: texts(ds, TAG.imageType).join('\\') || undefined,
        frames: text(ds, TAG.numberOfFrames) === undefined ? undefined : Number(text(ds, TAG.numberOfFrames)),
        studyInstanceUid: text(ds, TAG.studyInstanceUid),
        seriesInstanceUid: text(ds, TAG.seriesInstanceUid),
      }),
    },
  };
  if (ooi.deviceTime) draft.deviceTime = ooi.deviceTime;
  if (ooi.itemId) draft.conveyance = { itemId: ooi.itemId };
  return draft;
}
