import { normalizeContainerNumber, quoteValue, readDeviceTime, RejectedInputError, type XrayFinding } from '@customs-hub/sdk';
import type { ValueMapping } from './config.js';
import type { VerdictMeaning } from './address-space.js';
import { date, num, nums, text, typeName } from './values.js';

/** The variables of a scan object the driver reads (keys of ScanFields, minus the two folders). */
export const SCAN_KEYS = [
  'scanId',
  'lane',
  'startTime',
  'endTime',
  'containers',
  'plate',
  'imageUrl',
  'imageSize',
  'imageSha256',
  'imageFormat',
  'imageWidth',
  'imageHeight',
  'meanDensity',
  'verdict',
] as const;
export type ScanKey = (typeof SCAN_KEYS)[number];
export const FINDING_KEYS = ['class', 'box', 'confidence', 'note', 'operator'] as const;
export type FindingKey = (typeof FINDING_KEYS)[number];

/** A scan's values as they came from the scanner (plain JS values of any type), before decoding. */
export interface RawScan {
  nodeId: string;
  values: Partial<Record<ScanKey, unknown>>;
  findings: Array<{ source: 'automatic' | 'operator'; name: string; values: Partial<Record<FindingKey, unknown>> }>;
}

/** One scan as decoded from the scanner's values. */
export interface ScanRecord {
  nodeId: string;
  scanId: string;
  lane?: string;
  startedAt?: Date;
  endedAt?: Date;
  containers: string[];
  plate?: string;
  image?: { url: string; size?: number; sha256?: string; format?: string; widthPx?: number; heightPx?: number };
  meanDensity?: number;
  findings: XrayFinding[];
  verdict?: { word: string; meaning: VerdictMeaning };
  /** Values that were wrong, or had to be guessed (the observation becomes uncertain). */
  problems: string[];
  /** Values repaired without doubt about their meaning (listed in quality; the status stays). */
  notes: string[];
}

/** A scan that cannot be read as a scan (no ScanId, unreadable): refused with the reason. */
export class ScanReadError extends RejectedInputError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ScanReadError';
  }
}

const MAX_RECORD_CHARS = 1_000_000;
const DEFAULT_SEPARATORS = /[;,|\r\n]+/;

function wrongType(problems: string[], field: string, v: unknown, want: string): undefined {
  if (v !== undefined && v !== null && v !== '') problems.push(`${field} is ${typeName(v)}, not ${want}; ignored`);
  return undefined;
}

/** A number, also from a numeric string (noted: the scanner sent the wrong type). */
function number(v: unknown, field: string, r: Pick<ScanRecord, 'problems' | 'notes'>): number | undefined {
  const n = num(v);
  if (n !== undefined) return n;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?([eE][+-]?\d+)?\s*$/.test(v) && Number.isFinite(Number(v))) {
    r.notes.push(`${field} ${quoteValue(v.trim(), 30)} was a string; read as a number`);
    return Number(v);
  }
  return wrongType(r.problems, field, v, 'a number');
}

/** A DateTime, or an ISO 8601 string read as the N42 reader does (basic offsets, zone from config). */
function time(v: unknown, field: string, m: ValueMapping, r: Pick<ScanRecord, 'problems' | 'notes'>): Date | undefined {
  const d = date(v);
  if (d) return d;
  if (typeof v === 'string' && v.trim()) {
    try {
      const t = readDeviceTime(v, m.timeZone);
      // An assumed zone is a guess about the instant; a syntactic repair is not.
      for (const repair of t.repairs) (t.zoneAssumed ? r.problems : r.notes).push(`${field}: ${repair}`);
      return new Date(t.iso);
    } catch (err) {
      if (!(err instanceof RejectedInputError)) throw err;
      r.problems.push(`${field} ${err.reason}; ignored`);
      return undefined;
    }
  }
  return wrongType(r.problems, field, v, 'a date-time');
}

/** Container numbers: a String array, or one string the scanner delimits (MSKU1234565;TGHU…). */
function containers(v: unknown, field: string, m: ValueMapping, r: Pick<ScanRecord, 'problems' | 'notes'>): string[] {
  let items: unknown[];
  if (Array.isArray(v)) items = v;
  else if (typeof v === 'string') {
    if (m.listSeparator !== undefined) items = v.split(m.listSeparator);
    else {
      items = v.split(DEFAULT_SEPARATORS);
      const used = [...new Set(v.match(/[;,|]/g) ?? [])];
      if (items.filter((x) => (x as string).trim()).length > 1)
        r.notes.push(`${field} was one string; split at ${used.map((s) => `'${s}'`).join(' ') || 'line breaks'} (set listSeparator to say so)`);
    }
  } else {
    wrongType(r.problems, field, v, 'a list of strings');
    return [];
  }
  const out: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string') {
      wrongType(r.problems, `${field} item`, item, 'a string');
      continue;
    }
    const s = item.trim();
    if (!s) continue;
    const normalized = normalizeContainerNumber(s);
    if (!normalized || normalized.length > 20 || s.length > 40) {
      r.problems.push(`${field} item ${quoteValue(s, 40)} cannot be a container number; ignored`);
      continue;
    }
    if (out.length === 10) {
      r.problems.push(`${field}: more than 10 container numbers; the rest ignored`);
      break;
    }
    out.push(s);
  }
  return out;
}

function verdict(v: unknown, field: string, m: ValueMapping, r: Pick<ScanRecord, 'problems'>): ScanRecord['verdict'] {
  const word = typeof v === 'string' ? v.trim() : undefined;
  if (!word) return wrongType(r.problems, field, v, 'a verdict word');
  const known = m.verdicts[word] ?? Object.entries(m.verdicts).find(([k]) => k.toLowerCase() === word.toLowerCase())?.[1];
  if (known) return { word: word.slice(0, 50), meaning: known };
  // A verdict the mapping does not know must not make a scan look clear.
  r.problems.push(`${field} ${quoteValue(word, 30)} is not one of the configured verdicts (${Object.keys(m.verdicts).join(', ')}); taken as suspect`);
  return { word: word.slice(0, 50), meaning: 'suspect' };
}

function findings(raw: RawScan, m: ValueMapping, problems: string[], notes: string[]): XrayFinding[] {
  const f = m.findingFields;
  const out: XrayFinding[] = [];
  for (const item of raw.findings) {
    const v = item.values;
    const className = typeof v.class === 'string' ? v.class.trim() : undefined;
    if (!className) {
      problems.push(`${item.source} finding ${item.name} has no ${f.class}`);
      continue;
    }
    const finding: XrayFinding = { class: className.slice(0, 100), source: item.source };
    if (className.length > 100) notes.push(`finding ${item.name}: ${f.class} cut to 100 characters`);
    const b = nums(v.box);
    if (b && b.length === 4 && b.every((x) => Number.isFinite(x) && x >= 0)) finding.box = { x: b[0]!, y: b[1]!, width: b[2]!, height: b[3]! };
    else if (b) problems.push(`finding ${item.name}: ${f.box} must be [x, y, width, height] ≥ 0, got [${b.slice(0, 6).join(', ')}]`);
    else wrongType(problems, `finding ${item.name}: ${f.box}`, v.box, 'four numbers');
    const c = num(v.confidence);
    if (c !== undefined && c >= 0 && c <= 1) finding.confidence = c;
    else if (c !== undefined) problems.push(`finding ${item.name}: ${f.confidence} ${c} is outside 0..1`);
    else wrongType(problems, `finding ${item.name}: ${f.confidence}`, v.confidence, 'a number');
    const words = [text(v.operator), text(v.note)].filter(Boolean).join(': ');
    if (words) finding.note = words.slice(0, 2000);
    out.push(finding);
  }
  return out;
}

/**
 * Decodes a scan's values under the configured mapping. Never throws for a bad value: it is dropped and
 * named in problems (or, when repaired without doubt, in notes). Only a scan without a usable id is refused.
 */
export function decodeScan(raw: RawScan, m: ValueMapping): ScanRecord {
  const F = m.fields;
  const v = raw.values;
  const id = typeof v.scanId === 'number' && Number.isSafeInteger(v.scanId) ? String(v.scanId) : typeof v.scanId === 'string' ? v.scanId.trim() : undefined;
  if (!id) throw new ScanReadError(`scan ${raw.nodeId.slice(0, 200)} has no readable ${F.scanId} (${typeName(v.scanId)})`);
  if (id.length > 200) throw new ScanReadError(`scan id of ${raw.nodeId.slice(0, 200)} is longer than 200 characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(id)) throw new ScanReadError(`scan id ${quoteValue(id, 60)} of ${raw.nodeId.slice(0, 200)} contains control characters`);

  const r: ScanRecord = { nodeId: raw.nodeId.slice(0, 500), scanId: id, containers: [], findings: [], problems: [], notes: [] };
  const lane = text(v.lane) ?? wrongType(r.problems, F.lane, v.lane, 'a string');
  if (lane) r.lane = lane.slice(0, 100);
  const startedAt = time(v.startTime, F.startTime, m, r);
  if (startedAt) r.startedAt = startedAt;
  const endedAt = time(v.endTime, F.endTime, m, r);
  if (endedAt) r.endedAt = endedAt;
  if (!startedAt && !endedAt) r.problems.push(`no readable ${F.startTime} or ${F.endTime}: the scan is timed by the hub's receive time`);
  if (v.containers !== undefined && v.containers !== null) r.containers = containers(v.containers, F.containers, m, r);
  const plate = text(v.plate) ?? wrongType(r.problems, F.plate, v.plate, 'a string');
  if (plate) {
    const p = plate.toUpperCase().replace(/\s+/g, '');
    if (p && p.length <= 20) r.plate = plate;
    else if (p) r.problems.push(`${F.plate} ${quoteValue(plate, 30)} is longer than 20 characters; ignored`);
  }
  const density = v.meanDensity === undefined ? undefined : number(v.meanDensity, F.meanDensity, r);
  if (density !== undefined && density >= 0) r.meanDensity = density;
  else if (density !== undefined) r.problems.push(`${F.meanDensity} ${density} is negative; ignored`);
  if (v.verdict !== undefined && v.verdict !== null) {
    const verdictOf = verdict(v.verdict, F.verdict, m, r);
    if (verdictOf) r.verdict = verdictOf;
  }

  const url = text(v.imageUrl) ?? wrongType(r.problems, F.imageUrl, v.imageUrl, 'a string');
  if (url) {
    const image: NonNullable<ScanRecord['image']> = { url };
    const size = v.imageSize === undefined ? undefined : number(v.imageSize, F.imageSize, r);
    if (size !== undefined && Number.isSafeInteger(size) && size >= 0) image.size = size;
    else if (size !== undefined) r.problems.push(`${F.imageSize} ${size} is not a byte count; ignored`);
    const sha = text(v.imageSha256)?.trim().toLowerCase() ?? wrongType(r.problems, F.imageSha256, v.imageSha256, 'a string');
    if (sha && /^[0-9a-f]{64}$/.test(sha)) image.sha256 = sha;
    else if (sha) r.problems.push(`${F.imageSha256} '${sha.slice(0, 80)}' is not a sha256 hex digest`);
    const format = text(v.imageFormat) ?? wrongType(r.problems, F.imageFormat, v.imageFormat, 'a string');
    if (format) image.format = format.slice(0, 50);
    for (const [key, out] of [
      ['imageWidth', 'widthPx'],
      ['imageHeight', 'heightPx'],
    ] as const) {
      const n = v[key] === undefined ? undefined : number(v[key], F[key], r);
      if (n !== undefined && Number.isSafeInteger(n) && n >= 0) image[out] = n;
      else if (n !== undefined) r.problems.push(`${F[key]} ${n} is not a pixel count; ignored`);
    }
    r.image = image;
  }
  r.findings = findings(raw, m, r.problems, r.notes);
  return r;
}

/**
 * Decodes a scan record sent as one JSON string (a vendor's LastScan without an archive folder, or its
 * HistoryRead values): an object keyed by the mapped browse names, findings and annotations as arrays of objects.
 */
export function decodeRecord(value: string, nodeId: string, m: ValueMapping): ScanRecord {
  if (value.length > MAX_RECORD_CHARS) throw new ScanReadError(`scan record of ${nodeId} is ${value.length} characters, more than ${MAX_RECORD_CHARS}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (err) {
    throw new ScanReadError(`scan record of ${nodeId} is not JSON: ${(err as Error).message.slice(0, 120)}`, { cause: err });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ScanReadError(`scan record of ${nodeId} is ${typeName(parsed)}, not a JSON object`);
  const o = parsed as Record<string, unknown>;
  const raw: RawScan = { nodeId, values: {}, findings: [] };
  for (const k of SCAN_KEYS) if (Object.hasOwn(o, m.fields[k])) raw.values[k] = o[m.fields[k]];
  const problems: string[] = [];
  for (const [folder, source, prefix] of [
    [m.fields.findings, 'automatic', 'Finding'],
    [m.fields.annotations, 'operator', 'Annotation'],
  ] as const) {
    const list = o[folder];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      problems.push(`${folder} is ${typeName(list)}, not a list; ignored`);
      continue;
    }
    list.slice(0, 1000).forEach((item, i) => {
      const values: RawScan['findings'][number]['values'] = {};
      if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
        for (const k of FINDING_KEYS) if (Object.hasOwn(item, m.findingFields[k])) values[k] = (item as Record<string, unknown>)[m.findingFields[k]];
      }
      raw.findings.push({ source, name: `${prefix}${i + 1}`, values });
    });
  }
  const record = decodeScan(raw, m);
  record.problems.unshift(...problems);
  return record;
}
