import type { XrayFinding } from '@customs-hub/sdk';
import { DEFAULT_FINDING_FIELDS as F, DEFAULT_SCAN_FIELDS as S } from '../address-space.js';
import { DETECTOR_COLUMNS, IMAGE_FORMAT, imageHeight } from './image-stream.js';
import type { VendorShape } from './options.js';
import type { SimulatedScan } from './scan-factory.js';

// How a vendor shape writes a scan's values; no node-opcua here, so the fuzz suite can build its seeds with it.

const pad = (n: number) => String(n).padStart(2, '0');

/** A scan time as the vendor shape writes it. */
export function vendorTime(t: Date, shape: VendorShape): Date | string {
  if (shape.times === 'datetime') return t;
  if (shape.times === 'iso') return t.toISOString();
  // UTC+3 wall time, as a scanner in Moscow or Istanbul writes it.
  const w = new Date(t.getTime() + 3 * 3600_000);
  const wall = `${w.getUTCFullYear()}-${pad(w.getUTCMonth() + 1)}-${pad(w.getUTCDate())}T${pad(w.getUTCHours())}:${pad(w.getUTCMinutes())}:${pad(w.getUTCSeconds())}.${String(w.getUTCMilliseconds()).padStart(3, '0')}`;
  return shape.times === 'iso-basic' ? `${wall}+0300` : wall;
}

/** The verdict a scan carries under the shape (SUSPECT with findings), or undefined. */
export function vendorVerdict(scan: SimulatedScan, shape: VendorShape): string | undefined {
  if (!shape.verdicts) return undefined;
  return scan.findings.length + scan.annotations.length > 0 ? shape.verdicts.suspect : shape.verdicts.clear;
}

/** The whole scan as one JSON record keyed by the documented browse names (the 'record' shape). */
export function scanRecordJson(scan: SimulatedScan, imageUrl: string, shape: VendorShape): string {
  const time = (t: Date) => {
    const v = vendorTime(t, shape);
    return v instanceof Date ? v.toISOString() : v;
  };
  const finding = (f: XrayFinding & { operator?: string }) => ({
    [F.class]: f.class,
    ...(f.box ? { [F.box]: [f.box.x, f.box.y, f.box.width, f.box.height] } : {}),
    ...(f.confidence !== undefined ? { [F.confidence]: f.confidence } : {}),
    ...(f.operator ? { [F.operator]: f.operator } : {}),
    ...(f.note ? { [F.note]: f.note } : {}),
  });
  const verdict = vendorVerdict(scan, shape);
  return JSON.stringify({
    [S.scanId]: scan.scanId,
    [S.lane]: scan.lane,
    [S.startTime]: time(scan.startedAt),
    [S.endTime]: time(scan.endedAt),
    [S.containers]: shape.containers === 'delimited' ? scan.containers.join(';') : scan.containers,
    [S.plate]: scan.plate,
    [S.imageUrl]: imageUrl,
    [S.imageSize]: scan.imageSize,
    [S.imageSha256]: scan.imageSha256,
    [S.imageFormat]: IMAGE_FORMAT,
    [S.imageWidth]: DETECTOR_COLUMNS,
    [S.imageHeight]: imageHeight(scan.imageSize),
    [S.meanDensity]: scan.meanDensity,
    ...(verdict ? { [S.verdict]: verdict } : {}),
    [S.findings]: scan.findings.map(finding),
    [S.annotations]: scan.annotations.map(finding),
  });
}
