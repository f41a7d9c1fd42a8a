import { createHash } from 'node:crypto';
import type { IdentificationPayload, IdentifiedPlate, ObservationDraft, RawRef } from '@customs-hub/sdk';
import type { PlateRead } from '../message/plate-event.js';

export interface ReadDraftInputs {
  read: PlateRead;
  /** What identifies a correction without a revision number (the event's bytes). */
  text: string;
  source: RawRef | null;
  images: RawRef[];
  problems: string[];
  minConfidence: number;
  /** Vendor fields worth keeping (ISAPI lane number, plate colour). */
  extensions?: Record<string, unknown>;
}

/** NEW: the camera's id; a correction (UPDATE, LOST with a plate): the id with its revision or a hash of the event. */
export function readSourceId(read: PlateRead, text: string): string {
  if (read.type === 'NEW') return read.id;
  const rev = read.revision !== undefined ? `r${read.revision}` : `h${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
  return `${read.id}~${rev}`;
}

function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** One plate read as an `identification` observation (method lpr): the plate as read, never corrected. */
export function readDraft(inputs: ReadDraftInputs): ObservationDraft<'identification'> {
  const { read: r } = inputs;
  const reasons = [...inputs.problems];
  const p = r.plate!;
  const number = p.number.toUpperCase().replace(/\s+/g, '');
  if (p.confidence !== undefined && p.confidence < inputs.minConfidence)
    reasons.push(`plate ${number}: confidence ${p.confidence} below ${inputs.minConfidence}`);
  const plate: IdentifiedPlate = definedOnly({
    number,
    country: p.country,
    region: p.region,
    confidence: p.confidence,
    characterConfidence: p.charConfidence,
    position: p.position,
    camera: r.camera,
    plateType: p.plateType,
    color: p.color,
  });
  const plateImage = inputs.images.find((i) => i.role === 'plate-image') ?? inputs.images[0];
  const payload: IdentificationPayload = definedOnly({
    method: 'lpr' as const,
    readingId: r.id,
    event: r.type === 'NEW' ? ('new' as const) : ('update' as const),
    revision: r.revision,
    camera: r.camera,
    confidence: p.confidence,
    direction: r.direction,
    plates: [plate],
    vehicle: r.vehicle,
    hazardLabels: r.hazardLabels && r.hazardLabels.length > 0 ? r.hazardLabels : undefined,
    image: plateImage?.sha256,
  });
  const draft: ObservationDraft<'identification'> = {
    kind: 'identification',
    sourceId: readSourceId(r, inputs.text),
    deviceTime: r.time,
    conveyance: { plates: [definedOnly({ number, country: p.country, confidence: p.confidence })] },
    payload,
    quality: reasons.length > 0 ? { status: 'uncertain', reasons: reasons.slice(0, 20).map((x) => x.slice(0, 200)) } : { status: 'good' },
    raw: [...(inputs.source ? [inputs.source] : []), ...inputs.images],
  };
  if (r.type !== 'NEW') draft.replaces = r.id;
  const ext = { ...(r.lane !== undefined ? { lane: r.lane } : {}), ...inputs.extensions };
  if (Object.keys(ext).length > 0) draft.extensions = { 'plate-reader': ext };
  return draft;
}
