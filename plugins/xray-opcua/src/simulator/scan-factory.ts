import { containerCheckDigit, type XrayFinding } from '@customs-hub/sdk';
import { FINDING_CLASSES } from '../address-space.js';
import { DETECTOR_COLUMNS, imageHeight } from './image-stream.js';

/** Everything the simulator knows about one scan; the address space and the HTTP server serve it. */
export interface SimulatedScan {
  index: number;
  scanId: string;
  lane: string;
  startedAt: Date;
  endedAt: Date;
  containers: string[];
  plate: string;
  imageSeed: number;
  imageSize: number;
  imageSha256: string;
  corrupt: boolean;
  missingImage: boolean;
  /** Published with bad values (a 3-number box, confidence 1.7, a finding without class, no valid hash): for tests. */
  malformed: boolean;
  meanDensity: number;
  findings: XrayFinding[];
  annotations: Array<XrayFinding & { operator: string }>;
  /** When LastScan announced it (the source time of its historized value). */
  announcedAt: Date;
}

/** What a scan should contain; unset fields are drawn at random. */
export interface ScanProfile {
  findings?: boolean;
  invalidContainer?: boolean;
  corrupt?: boolean;
  /** The image server answers 404 for this scan's image. */
  missingImage?: boolean;
  malformed?: boolean;
  /** The vehicle the lane twin drove through: what the scan shows, instead of a random scan. */
  truth?: { containers: string[]; plate?: string; meanDensity: number; findings: XrayFinding[]; startedAt: Date; endedAt: Date };
}

const OWNERS = ['CSQ', 'YML', 'MSC', 'TGH', 'MAE', 'CMA', 'HLX', 'OOL'];
const LETTERS = 'ABCEHKMOPTXY';

/** A container number with a valid ISO 6346 check digit, or with a deliberately wrong one. */
export function containerNumber(rand: () => number, valid: boolean): string {
  const owner = OWNERS[Math.floor(rand() * OWNERS.length)]!;
  const serial = String(Math.floor(rand() * 1_000_000)).padStart(6, '0');
  const first10 = `${owner}U${serial}`;
  const check = containerCheckDigit(first10)!;
  return `${first10}${valid ? check : (check + 1 + Math.floor(rand() * 9)) % 10}`;
}

function plate(rand: () => number): string {
  const l = () => LETTERS[Math.floor(rand() * LETTERS.length)]!;
  return `${l()}${String(Math.floor(rand() * 1000)).padStart(3, '0')}${l()}${l()}${String(10 + Math.floor(rand() * 190))}`;
}

function finding(rand: () => number, height: number): XrayFinding {
  const width = 50 + Math.floor(rand() * 400);
  const h = Math.max(1, Math.min(height, 50 + Math.floor(rand() * 400)));
  return {
    class: FINDING_CLASSES[Math.floor(rand() * FINDING_CLASSES.length)]!,
    box: { x: Math.floor(rand() * (DETECTOR_COLUMNS - width)), y: Math.floor(rand() * Math.max(1, height - h)), width, height: h },
    confidence: Math.round((0.5 + 0.5 * rand()) * 100) / 100,
  };
}

/** Draws one scan; sha256 is filled in by the caller, which streams the image to compute it. */
export function makeScan(
  rand: () => number,
  o: { index: number; runId: string; lane: string; now: Date; imageBytes: number; findingRate: number; invalidRate: number; profile: ScanProfile },
): Omit<SimulatedScan, 'imageSha256' | 'announcedAt'> {
  const truth = o.profile.truth;
  if (truth) {
    return {
      index: o.index,
      scanId: `XR-${o.runId}-${String(o.index).padStart(6, '0')}`,
      lane: o.lane,
      startedAt: truth.startedAt,
      endedAt: truth.endedAt,
      containers: truth.containers,
      plate: truth.plate ?? '',
      imageSeed: Math.floor(rand() * 2 ** 31),
      imageSize: o.imageBytes,
      corrupt: o.profile.corrupt ?? false,
      missingImage: o.profile.missingImage ?? false,
      malformed: false,
      meanDensity: truth.meanDensity,
      findings: truth.findings,
      annotations: [],
    };
  }
  const withFindings = o.profile.malformed || (o.profile.findings ?? rand() < o.findingRate);
  const invalid = o.profile.invalidContainer ?? rand() < o.invalidRate;
  const height = imageHeight(o.imageBytes);
  const twin = rand() < 0.25; // two 20-foot containers on one chassis
  const containers = [containerNumber(rand, !invalid)];
  if (twin) containers.push(containerNumber(rand, true));
  const findings = withFindings ? Array.from({ length: 1 + Math.floor(rand() * 3) }, () => finding(rand, height)) : [];
  const annotations =
    withFindings && rand() < 0.5
      ? [{ ...finding(rand, height), confidence: 1, operator: 'inspector-07', note: 'confirmed on screen, refer to physical examination' }]
      : [];
  return {
    index: o.index,
    scanId: `XR-${o.runId}-${String(o.index).padStart(6, '0')}`,
    lane: o.lane,
    startedAt: new Date(o.now.getTime() - 20_000),
    endedAt: o.now,
    containers,
    plate: plate(rand),
    imageSeed: Math.floor(rand() * 2 ** 31),
    imageSize: o.imageBytes,
    corrupt: o.profile.corrupt ?? false,
    missingImage: o.profile.missingImage ?? false,
    malformed: o.profile.malformed ?? false,
    meanDensity: Math.round((10 + 40 * rand()) * 10) / 10,
    findings,
    annotations,
  };
}
