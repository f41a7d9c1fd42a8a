import type { Alarm, ObservationDraft, Quality, RawRef } from '@customs-hub/sdk';
import type { DataSet } from 'dicom-parser';
import { compact } from './compact.js';
import type { DicosFile } from './dicos-file.js';
import { float, items, text, uint16, walk } from './dataset.js';
import { dicomDt } from './dicom-time.js';
import { inspectionContext } from './object-of-inspection.js';
import { isImageSopClass } from './sop-classes.js';
import { TAG } from './tags.js';
import { readThreat } from './threats.js';

/** SOP Instance UIDs of the images a TDR names, wherever it names them (PTO and top-level references). */
export function referencedImages(ds: DataSet): string[] {
  const out = new Set<string>();
  for (const item of walk(ds)) {
    const cls = text(item, TAG.referencedSopClassUid);
    const uid = text(item, TAG.referencedSopInstanceUid);
    if (cls && uid && isImageSopClass(cls)) out.add(uid);
  }
  return [...out];
}

function alarmsOf(decision: string | undefined, threats: Array<{ assessment?: string }>, alarmObjects: number | undefined): Alarm[] {
  const flagged = threats.filter((t) => t.assessment === 'THREAT').length;
  if (decision === 'ALARM') {
    return [
      {
        category: 'xray',
        source: 'device',
        level: 'alarm',
        message: `threat detection alarm: ${alarmObjects ?? flagged} of ${threats.length} object(s) alarmed`,
        value: alarmObjects ?? flagged,
      },
    ];
  }
  if (flagged > 0) {
    return [
      {
        category: 'xray',
        source: 'device',
        level: 'warning',
        message: `${flagged} object(s) assessed THREAT although the alarm decision is ${decision ?? 'missing'}`,
        value: flagged,
      },
    ];
  }
  return [];
}

/** Turns a parsed Threat Detection Report into an xray.threat-report draft referencing its raw file. */
export function threatReportDraft(file: DicosFile, raw: RawRef): ObservationDraft<'xray.threat-report'> {
  const ds = file.dataSet;
  // readDicosFile guarantees both for a TDR.
  const decision = text(ds, TAG.alarmDecision)!;
  const total = uint16(ds, TAG.totalObjects)!;
  const problems: string[] = [];
  const read = items(ds, TAG.threatSequence).map((pto, i) => readThreat(pto, i, problems));
  const threats = read.map((r) => r.threat);
  const alarmObjects = uint16(ds, TAG.alarmObjects);
  if (total !== threats.length) problems.push(`Number of Total Objects is ${total} but the Threat Sequence has ${threats.length} item(s)`);
  const ooi = inspectionContext(ds);
  if (ooi.ooiId === undefined) problems.push('no object of inspection id (0010,0020)');
  const abort = text(ds, TAG.abortFlag);
  const quality: Quality =
    abort === 'ABORT'
      ? { status: 'bad', reasons: [`detection aborted${text(ds, TAG.abortReason) ? `: ${text(ds, TAG.abortReason)}` : ''}`, ...problems] }
      : problems.length > 0
        ? { status: 'uncertain', reasons: problems }
        : { status: 'good' };

  const payload: ObservationDraft<'xray.threat-report'>['payload'] = {
    objectOfInspectionId: ooi.ooiId ?? '',
    sopInstanceUid: file.sopInstanceUid,
    alarmDecision: decision,
    referencedImages: referencedImages(ds),
    threats,
  };
  const tdrType = text(ds, TAG.tdrType);
  if (tdrType) payload.tdrType = tdrType;

  const draft: ObservationDraft<'xray.threat-report'> = {
    kind: 'xray.threat-report',
    sourceId: file.sopInstanceUid,
    payload,
    alarms: alarmsOf(decision, threats, alarmObjects),
    quality,
    raw: [raw],
    extensions: {
      dicos: compact({
        sopClassUid: file.sopClassUid,
        transferSyntaxUid: file.transferSyntaxUid,
        ooiIdType: ooi.ooiIdType,
        ooiType: ooi.ooiType,
        algorithm: text(ds, TAG.algorithm),
        dicosVersion: text(ds, TAG.dicosVersion),
        abortFlag: abort,
        alarmObjects,
        alarmDecisionTime: dicomDt(text(ds, TAG.alarmDecisionTime)),
        totalProcessingTimeMs: float(ds, TAG.totalProcessingTimeMs),
        threats: read.map((r) => r.detail),
      }),
    },
  };
  if (ooi.deviceTime) draft.deviceTime = ooi.deviceTime;
  if (ooi.itemId) draft.conveyance = { itemId: ooi.itemId };
  return draft;
}
