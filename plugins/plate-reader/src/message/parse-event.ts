import { RejectedInputError } from '@customs-hub/sdk';
import { readJson, type ReadContext } from './fields.js';
import { EVENT_SPEC } from './event-spec.js';
import type { PlateRead } from './plate-event.js';

export interface ParsedEvent {
  read: PlateRead;
  unknownFields: string[];
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const DIRECTION: Record<string, PlateRead['direction']> = {
  in: 'in',
  approaching: 'in',
  forward: 'in',
  out: 'out',
  leaving: 'out',
  reverse: 'out',
  unknown: 'unknown',
};

/** A confidence on the configured scale as 0..1; above the scale's top is refused, naming the field. */
export function toUnit(v: number | undefined, path: string, scale: 'unit' | 'percent'): number | undefined {
  if (v === undefined) return undefined;
  const top = scale === 'percent' ? 100 : 1;
  if (v > top) throw new RejectedInputError(`${path}: confidence ${v} is above ${top} (the device's confidenceScale is '${scale}')`);
  return scale === 'percent' ? Math.round(v * 100) / 10000 : v;
}

type Likely = { Value: string; Likelihood?: number } | undefined;
interface RawEvent {
  eventType: PlateRead['type'];
  eventId: string;
  revision?: number;
  time: string;
  camera?: string;
  lane?: string;
  direction?: string;
  plate?: { text: string; country?: string; region?: string; confidence?: number; charConfidence?: number[]; type?: string; color?: string; position?: string };
  licensePlateInfo?: { PlateNumber?: Likely; PlateType?: Likely; CountryCode?: Likely; IssuingEntity?: Likely };
  vehicle?: PlateRead['vehicle'];
  hazardLabels?: NonNullable<PlateRead['hazardLabels']>;
  images?: Array<{ role: 'plate' | 'overview'; data: string; contentType?: string; name?: string }>;
}

/**
 * Parses one pushed JSON event. ONVIF-style `licensePlateInfo` fields fill what the plain `plate` object
 * leaves out (and give the plate when there is no `plate`); when both give a number they must agree.
 */
export function parseEvent(text: string, scale: 'unit' | 'percent'): ParsedEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new RejectedInputError(`JSON: ${(err as Error).message}`, { cause: err });
  }
  const ctx: ReadContext = { unknown: [] };
  const e = readJson(value, EVENT_SPEC, '', ctx) as unknown as RawEvent;
  if (!ISO_TIME.test(e.time) || Number.isNaN(Date.parse(e.time)))
    throw new RejectedInputError(`time: ${JSON.stringify(e.time)} is not an ISO 8601 date-time with a zone (2026-12-01T10:15:00Z)`);
  const info = e.licensePlateInfo ?? {};
  const number = e.plate?.text ?? info.PlateNumber?.Value;
  if (e.plate && info.PlateNumber && normalizePlate(e.plate.text) !== normalizePlate(info.PlateNumber.Value)) {
    throw new RejectedInputError(
      `plate.text ${JSON.stringify(e.plate.text)} and licensePlateInfo.PlateNumber ${JSON.stringify(info.PlateNumber.Value)} disagree`,
    );
  }
  if (number === undefined && e.eventType !== 'LOST') throw new RejectedInputError(`a ${e.eventType} event needs plate.text or licensePlateInfo.PlateNumber`);
  const read: PlateRead = {
    type: e.eventType,
    id: e.eventId,
    time: e.time,
    images: (e.images ?? []).map((i) => ({ ...i })),
    ...(e.revision !== undefined ? { revision: e.revision } : {}),
    ...(e.camera !== undefined ? { camera: e.camera } : {}),
    ...(e.lane !== undefined ? { lane: e.lane } : {}),
    ...(e.direction !== undefined ? { direction: DIRECTION[e.direction]! } : {}),
    ...(e.vehicle ? { vehicle: e.vehicle } : {}),
  };
  if (e.hazardLabels)
    read.hazardLabels = e.hazardLabels.map((h, i) => strip({ ...h, confidence: toUnit(h.confidence, `hazardLabels[${i}].confidence`, scale) }));
  if (number !== undefined) {
    read.plate = strip({
      number,
      country: e.plate?.country ?? info.CountryCode?.Value,
      region: e.plate?.region ?? info.IssuingEntity?.Value,
      confidence:
        toUnit(e.plate?.confidence, 'plate.confidence', scale) ?? toUnit(info.PlateNumber?.Likelihood, 'licensePlateInfo.PlateNumber.Likelihood', scale),
      charConfidence: e.plate?.charConfidence?.map((c, i) => toUnit(c, `plate.charConfidence[${i}]`, scale)!),
      plateType: e.plate?.type ?? info.PlateType?.Value,
      color: e.plate?.color,
      position: e.plate?.position,
    });
  }
  return { read, unknownFields: ctx.unknown };
}

export function normalizePlate(p: string): string {
  return p.toUpperCase().replace(/[\s-]+/g, '');
}

function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
