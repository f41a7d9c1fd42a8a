import type { Alarm, ObservationDraft, Quality, RawRef, XrayScanPayload } from '@customs-hub/sdk';
import type { CargoPreview } from './preview/preview.js';
import type { ScanRecord } from './scan-decode.js';

/** What became of a scan's image. */
export type ImageOutcome =
  | { status: 'stored'; ref: RawRef; preview?: CargoPreview; previewProblem?: string }
  | { status: 'corrupt'; reason: string }
  | { status: 'missing'; reason: string };

const MAX_ALARMS = 100;
const MAX_FINDINGS = 500;
/** The class of the finding a suspect verdict adds when the scanner gave no region. */
export const VERDICT_FINDING_CLASS = 'suspect-verdict';

function findingAlarms(scan: ScanRecord): Alarm[] {
  const alarms: Alarm[] = [];
  if (scan.verdict?.meaning === 'suspect') {
    alarms.push({ category: 'xray', source: 'device', level: 'alarm', message: `scanner verdict: ${scan.verdict.word}` });
  }
  for (const f of scan.findings.slice(0, MAX_ALARMS - alarms.length)) {
    const alarm: Alarm = {
      category: 'xray',
      source: 'device',
      level: 'alarm',
      message: `${f.source === 'operator' ? 'operator' : 'automatic'} finding: ${f.class}${f.confidence !== undefined ? ` (confidence ${f.confidence})` : ''}`,
    };
    if (f.confidence !== undefined) alarm.value = f.confidence;
    alarms.push(alarm);
  }
  return alarms;
}

/** Quality reasons within the schema's bounds (20 reasons of 200 characters). */
function reasonsList(reasons: string[]): string[] {
  const cut = reasons.map((r) => (r.length <= 200 ? r : `${r.slice(0, 199)}…`));
  return cut.length <= 20 ? cut : [...cut.slice(0, 19), `and ${cut.length - 19} more`];
}

export interface DraftOptions {
  /** The observation's sourceId when it is not the scan id (an id the scanner reused after a reboot). */
  sourceId?: string;
  /** Notes about the device that hold for this scan (e.g. its status is unknown). */
  notes?: string[];
}

/** Turns a scan and the fate of its image into an xray.scan observation draft; the scan id is its sourceId. */
export function scanDraft(scan: ScanRecord, image: ImageOutcome | null, options: DraftOptions = {}): ObservationDraft<'xray.scan'> {
  const doubts = [...scan.problems];
  const findings = scan.findings.slice(0, MAX_FINDINGS);
  // A suspect verdict without a region still shows as a finding: a suspect scan must never look clear.
  if (scan.verdict?.meaning === 'suspect' && !findings.some((f) => f.source === 'automatic')) {
    findings.unshift({ class: VERDICT_FINDING_CLASS, source: 'automatic', note: `scanner verdict ${scan.verdict.word}, no region given` });
  }
  const payload: XrayScanPayload = { scanId: scan.scanId, imageStatus: image ? image.status : 'missing', findings: findings.slice(0, MAX_FINDINGS) };
  if (scan.startedAt) payload.startedAt = scan.startedAt.toISOString();
  if (scan.endedAt) payload.endedAt = scan.endedAt.toISOString();
  if (scan.meanDensity !== undefined) payload.meanDensity = scan.meanDensity;
  if (scan.image) {
    const { url, ...rest } = scan.image;
    payload.image = { location: url.slice(0, 2000), ...rest };
  }
  if (!scan.image) doubts.push('the scanner announced no image');
  if (image && image.status !== 'stored') doubts.push(image.reason);
  if (image?.status === 'stored') {
    payload.image = { ...payload.image, sha256: image.ref.sha256, size: image.ref.size };
    if (scan.image?.size !== undefined && scan.image.size !== image.ref.size) {
      doubts.push(`image size ${image.ref.size} bytes differs from the announced ${scan.image.size}`);
    }
  }
  if (scan.findings.length > MAX_FINDINGS) doubts.push(`${scan.findings.length - MAX_FINDINGS} findings beyond ${MAX_FINDINGS} not kept`);

  // A scan without a preview is still good data: the reason informs, it does not downgrade.
  const previewNotes: string[] = [];
  if (image?.status === 'stored' && image.previewProblem) previewNotes.push(`no preview: ${image.previewProblem.slice(0, 180)}`);
  if (image?.status === 'stored' && image.preview?.note) previewNotes.push(`preview: ${image.preview.note}`);
  if (image?.status === 'stored' && image.preview && payload.image && payload.image.heightPx === undefined) payload.image.heightPx = image.preview.lines;

  const reasons = reasonsList([...doubts, ...scan.notes, ...(options.notes ?? []), ...previewNotes]);
  const quality: Quality =
    doubts.length > 0
      ? { status: image?.status === 'stored' ? 'uncertain' : 'bad', reasons }
      : reasons.length
        ? { status: 'good', reasons }
        : { status: 'good' };
  const ext: Record<string, unknown> = { nodeId: scan.nodeId };
  if (scan.lane) ext.lane = scan.lane;
  if (scan.verdict) ext.verdict = scan.verdict.word;
  Object.assign(ext, previewExtension(image));
  const draft: ObservationDraft<'xray.scan'> = {
    kind: 'xray.scan',
    sourceId: options.sourceId ?? scan.scanId,
    payload,
    conveyance: { containers: scan.containers, plates: scan.plate ? [scan.plate] : [] },
    alarms: findingAlarms(scan),
    quality,
    extensions: { 'xray-opcua': ext },
  };
  const time = scan.endedAt ?? scan.startedAt;
  if (time) draft.deviceTime = time;
  if (image?.status === 'stored') draft.raw = [image.ref, ...(image.preview?.refs ?? [])];
  return draft;
}

/** How the console places findings' boxes over the preview: it shows lines left to right (transposed). */
function previewExtension(image: ImageOutcome | null): { preview?: Record<string, unknown> } {
  if (image?.status !== 'stored' || !image.preview) return {};
  const { scale, window } = image.preview;
  return { preview: { transposed: true, scale, window: { low: window.low, high: window.high } } };
}
