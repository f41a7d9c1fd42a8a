import type { Alarm, ObservationDraft, RawRef, XrayScanPayload } from '@customs-hub/sdk';
import type { CargoPreview } from './preview/preview.js';
import type { ScanRecord } from './scan-reader.js';

/** What became of a scan's image. */
export type ImageOutcome =
  | { status: 'stored'; ref: RawRef; preview?: CargoPreview; previewProblem?: string }
  | { status: 'corrupt'; reason: string }
  | { status: 'missing'; reason: string };

const MAX_ALARMS = 100;

function findingAlarms(scan: ScanRecord): Alarm[] {
  return scan.findings.slice(0, MAX_ALARMS).map((f) => {
    const alarm: Alarm = {
      category: 'xray',
      source: 'device',
      level: 'alarm',
      message: `${f.source === 'operator' ? 'operator' : 'automatic'} finding: ${f.class}${f.confidence !== undefined ? ` (confidence ${f.confidence})` : ''}`,
    };
    if (f.confidence !== undefined) alarm.value = f.confidence;
    return alarm;
  });
}

/** Turns a scan and the fate of its image into an xray.scan observation draft; the scan id is its sourceId. */
export function scanDraft(scan: ScanRecord, image: ImageOutcome | null): ObservationDraft<'xray.scan'> {
  const reasons = [...scan.problems];
  const payload: XrayScanPayload = { scanId: scan.scanId, imageStatus: image ? image.status : 'missing', findings: scan.findings.slice(0, 500) };
  if (scan.startedAt) payload.startedAt = scan.startedAt.toISOString();
  if (scan.endedAt) payload.endedAt = scan.endedAt.toISOString();
  if (scan.meanDensity !== undefined && scan.meanDensity >= 0) payload.meanDensity = scan.meanDensity;
  if (scan.image) {
    const { url, ...rest } = scan.image;
    payload.image = { location: url.slice(0, 2000), ...rest };
  }
  if (!scan.image) reasons.push('the scanner announced no image');
  if (image && image.status !== 'stored') reasons.push(image.reason);
  if (image?.status === 'stored') {
    payload.image = { ...payload.image, sha256: image.ref.sha256, size: image.ref.size };
    if (scan.image?.size !== undefined && scan.image.size !== image.ref.size) {
      reasons.push(`image size ${image.ref.size} bytes differs from the announced ${scan.image.size}`);
    }
  }
  if (scan.findings.length > 500) reasons.push(`${scan.findings.length - 500} findings beyond 500 not kept`);
  // A scan without a preview is still good data: the reason informs, it does not downgrade.
  const notes: string[] = [];
  if (image?.status === 'stored' && image.previewProblem) notes.push(`no preview: ${image.previewProblem.slice(0, 180)}`);
  if (image?.status === 'stored' && image.preview?.note) notes.push(`preview: ${image.preview.note}`);
  if (image?.status === 'stored' && image.preview && payload.image && payload.image.heightPx === undefined) payload.image.heightPx = image.preview.lines;

  const draft: ObservationDraft<'xray.scan'> = {
    kind: 'xray.scan',
    sourceId: scan.scanId,
    payload,
    conveyance: { containers: scan.containers, plates: scan.plate ? [scan.plate] : [] },
    alarms: findingAlarms(scan),
    quality: reasons.length === 0 ? (notes.length ? { status: 'good', reasons: notes } : { status: 'good' }) : { status: image?.status === 'stored' ? 'uncertain' : 'bad', reasons: [...reasons, ...notes] },
    extensions: { 'xray-opcua': { nodeId: scan.nodeId, ...(scan.lane ? { lane: scan.lane } : {}), ...previewExtension(image) } },
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
