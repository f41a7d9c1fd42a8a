import type { Observation } from '@customs-hub/sdk';

/** A region drawn over an X-ray image: in the image's own pixels (x along columns, y along rows). */
export interface Overlay {
  x: number;
  y: number;
  width: number;
  height: number;
  label: string;
  /** THREAT-assessed or alarm regions are drawn red, the others amber. */
  alarm: boolean;
}

function label(kind: string | undefined, confidence: number | undefined, description?: string): string {
  const what = description ? `${kind ?? 'threat'}: ${description}` : (kind ?? 'threat');
  return confidence === undefined ? what : `${what} ${Math.round(confidence * 100)} %`;
}

/**
 * The regions to draw over a scan's image: its own findings' boxes, and the potential threat objects of
 * the threat reports (DICOS TDRs) that name the image, or, when a report names no image among these
 * observations, that are about the same item.
 */
export function overlaysFor(scan: Observation<'xray.scan'>, observations: Observation[]): Overlay[] {
  const out: Overlay[] = [];
  for (const f of scan.payload.findings) {
    if (f.box) out.push({ x: f.box.x, y: f.box.y, width: f.box.width, height: f.box.height, label: label(f.class, f.confidence), alarm: true });
  }
  // A CT series grouped from one file per slice is named by a report through any of its slices.
  const idsOf = (o: Observation<'xray.scan'>) => [
    o.payload.scanId,
    ...((o.extensions as { dicos?: { sliceInstanceUids?: string[] } } | undefined)?.dicos?.sliceInstanceUids ?? []),
  ];
  const scanIds = new Set(observations.filter((o) => o.kind === 'xray.scan').flatMap((o) => idsOf(o as Observation<'xray.scan'>)));
  const own = new Set(idsOf(scan));
  for (const o of observations) {
    if (o.kind !== 'xray.threat-report') continue;
    const r = (o as Observation<'xray.threat-report'>).payload;
    const named = r.referencedImages ?? [];
    const about =
      named.some((id) => own.has(id)) ||
      (!named.some((id) => scanIds.has(id)) &&
        scan.conveyance.itemId !== undefined &&
        (o.conveyance.itemId === scan.conveyance.itemId || r.objectOfInspectionId === scan.conveyance.itemId));
    if (!about) continue;
    for (const t of r.threats) {
      if (!t.box) continue;
      out.push({
        x: t.box.x,
        y: t.box.y,
        width: t.box.width,
        height: t.box.height,
        label: label(t.class, t.confidence, t.description),
        alarm: t.assessment === 'THREAT' || r.alarmDecision === 'ALARM',
      });
    }
  }
  return out;
}

/**
 * The frame the regions are placed in over a scan's preview. A cargo scanner's preview (xray-opcua) is
 * stored transposed — lines left to right, as a truck is looked at — while its findings' boxes are in
 * the image's own pixels (x along the detector): the boxes are transposed to match.
 */
export function previewFrame(scan: Observation<'xray.scan'>, overlays: Overlay[]): { width: number; height: number; overlays: Overlay[] } {
  const width = scan.payload.image?.widthPx ?? 1;
  const height = scan.payload.image?.heightPx ?? 1;
  const ext = scan.extensions as { 'xray-opcua'?: { preview?: { transposed?: boolean } } } | undefined;
  if (ext?.['xray-opcua']?.preview?.transposed !== true) return { width, height, overlays };
  return { width: height, height: width, overlays: overlays.map((o) => ({ ...o, x: o.y, y: o.x, width: o.height, height: o.width })) };
}
