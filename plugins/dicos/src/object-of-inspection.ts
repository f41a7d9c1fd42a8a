import type { DataSet } from 'dicom-parser';
import { text } from './dataset.js';
import { dicomDateTime } from './dicom-time.js';
import { TAG } from './tags.js';

/** What every DICOS object says about the inspected item (the Patient module's tags) and its time. */
export interface InspectionContext {
  /** Object of inspection id (0010,0020), as written. */
  ooiId: string | undefined;
  /** The id usable for correlation: absent when missing or a placeholder such as 'unknown'. */
  itemId: string | undefined;
  ooiIdType: string | undefined;
  ooiIdIssuer: string | undefined;
  ooiType: string | undefined;
  /** Content time, else acquisition time, else instance creation time; ISO. */
  deviceTime: string | undefined;
}

const PLACEHOLDERS = new Set(['unknown', 'none', 'n/a', '']);

/** Reads the object-of-inspection identity and the object's time from a DICOS data set. */
export function inspectionContext(ds: DataSet): InspectionContext {
  const ooiId = text(ds, TAG.ooiId)?.trim();
  const tz = text(ds, TAG.timezoneOffset);
  const deviceTime =
    dicomDateTime(text(ds, TAG.contentDate), text(ds, TAG.contentTime), tz) ??
    dicomDateTime(text(ds, TAG.acquisitionDate), text(ds, TAG.acquisitionTime), tz) ??
    dicomDateTime(text(ds, TAG.instanceCreationDate), text(ds, TAG.instanceCreationTime), tz);
  return {
    ooiId,
    itemId: ooiId !== undefined && !PLACEHOLDERS.has(ooiId.toLowerCase()) ? ooiId : undefined,
    ooiIdType: text(ds, TAG.ooiIdType),
    ooiIdIssuer: text(ds, TAG.ooiIdIssuer),
    ooiType: text(ds, TAG.ooiType),
    deviceTime,
  };
}
