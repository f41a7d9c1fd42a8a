import { createHash } from 'node:crypto';
import {
  isValidAirWaybill,
  isValidContainerNumber,
  normalizeContainerNumber,
  normalizeIdentifier,
  type IdentificationPayload,
  type IdentifiedContainer,
  type IdentifiedItem,
  type IdentifiedPlate,
  type ObservationDraft,
  type RawRef,
} from '@customs-hub/sdk';
import type { GateReading } from '../message/gate-message.js';

export interface DraftInputs {
  reading: GateReading;
  /** The message as received (its bytes identify an UPDATE without a revision number). */
  text: string;
  source: RawRef;
  images: RawRef[];
  /** Problems met on the way that do not refuse the reading (an image not stored, unknown fields). */
  problems: string[];
  minConfidence: number;
}

/**
 * The sourceId of a reading: the gate's id for NEW; for an UPDATE, the id with its revision (or, when
 * the gate numbers none, a hash of the message), so every correction is kept and a resend is a duplicate.
 */
export function readingSourceId(reading: GateReading, text: string): string {
  if (reading.type === 'NEW') return reading.id;
  const rev = reading.revision !== undefined ? `r${reading.revision}` : `h${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
  return `${reading.id}~${rev}`;
}

function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * One gate reading as an `identification` observation. Container codes go in exactly as read: the hub
 * checks the ISO 6346 check digit and a misread stays `valid: false` with its confidence — never corrected.
 */
export function readingDraft(inputs: DraftInputs): ObservationDraft<'identification'> {
  const { reading: r } = inputs;
  const reasons = [...inputs.problems];
  const containers: IdentifiedContainer[] = r.containers.map((c) => {
    const number = normalizeContainerNumber(c.code);
    const valid = isValidContainerNumber(number);
    if (!valid) reasons.push(`container ${number}: ISO 6346 form or check digit does not hold (kept as read)`);
    if (c.checkDigitOk !== undefined && c.checkDigitOk !== valid)
      reasons.push(
        `container ${number}: the gate says its check digit is ${c.checkDigitOk ? 'right' : 'wrong'}, the hub finds it ${valid ? 'right' : 'wrong'}`,
      );
    if (c.confidence !== undefined && c.confidence < inputs.minConfidence)
      reasons.push(`container ${number}: confidence ${c.confidence} below ${inputs.minConfidence}`);
    return definedOnly({
      number,
      checkDigitValid: valid,
      deviceCheckDigitValid: c.checkDigitOk,
      confidence: c.confidence,
      characterConfidence: c.charConfidence,
      sizeType: c.sizeType,
      position: c.position,
      side: c.side,
      camera: c.camera,
      damage: c.damage,
      damageNotes: c.damageNotes,
      doorDirection: c.doorDirection,
    });
  });
  const plates: IdentifiedPlate[] = r.plates.map((p) =>
    definedOnly({
      number: p.number.toUpperCase().replace(/\s+/g, ''),
      country: p.country,
      region: p.region,
      confidence: p.confidence,
      characterConfidence: p.charConfidence,
      position: p.position,
      camera: p.camera,
    }),
  );
  // air waybills, bag tags, ULDs: normalized as a declaration stores them; a failing AWB check digit is kept as read
  const items: IdentifiedItem[] = (r.items ?? []).map((x) => definedOnly({ type: x.type, number: normalizeIdentifier(x.code), confidence: x.confidence }));
  for (const x of items) {
    if (x.type === 'airWaybill' && !isValidAirWaybill(x.number)) reasons.push(`air waybill ${x.number}: the check digit does not hold (kept as read)`);
    if (x.confidence !== undefined && x.confidence < inputs.minConfidence)
      reasons.push(`${x.type} ${x.number}: confidence ${x.confidence} below ${inputs.minConfidence}`);
  }
  if (r.containers.length === 0 && items.length === 0) reasons.push('no container code read');
  if (r.confidence !== undefined && r.confidence < inputs.minConfidence) reasons.push(`reading confidence ${r.confidence} below ${inputs.minConfidence}`);

  const payload: IdentificationPayload = definedOnly({
    method: r.method ?? 'ocr',
    readingId: r.id,
    event: r.type === 'NEW' ? ('new' as const) : ('update' as const),
    revision: r.revision,
    camera: r.camera,
    confidence: r.confidence,
    direction: r.direction,
    position: containers[0]?.side,
    containers,
    plates: plates.length > 0 ? plates : undefined,
    damage: r.damage,
    seals: r.seals.length > 0 ? r.seals : undefined,
    image: inputs.images[0]?.sha256,
    items: items.length > 0 ? items : undefined,
    vessel: r.vessel ? vesselOf(r.vessel) : undefined,
    flight: r.flight ? { ...r.flight, number: normalizeIdentifier(r.flight.number) } : undefined,
  });
  const draft: ObservationDraft<'identification'> = {
    kind: 'identification',
    sourceId: readingSourceId(r, inputs.text),
    deviceTime: r.time,
    conveyance: {
      containers: containers.map((c, i) =>
        definedOnly({
          number: c.number,
          valid: c.checkDigitValid,
          raw: r.containers[i]!.code !== c.number ? r.containers[i]!.code : undefined,
          confidence: c.confidence,
        }),
      ),
      plates: plates.map((p) => definedOnly({ number: p.number, country: p.country, confidence: p.confidence })),
      ...(items[0] ? { itemId: items[0].number } : {}),
    },
    payload,
    quality: reasons.length > 0 ? { status: 'uncertain', reasons: reasons.slice(0, 20).map((x) => x.slice(0, 200)) } : { status: 'good' },
    raw: [inputs.source, ...inputs.images],
  };
  if (r.type === 'UPDATE') draft.replaces = r.id;
  if (r.lane !== undefined) draft.extensions = { 'ocr-gate': { lane: r.lane } };
  return draft;
}

/** The vessel call as a declaration stores it: the IMO number without its prefix. */
function vesselOf(v: NonNullable<GateReading['vessel']>): NonNullable<IdentificationPayload['vessel']> {
  return definedOnly({ name: v.name, imo: v.imo ? normalizeIdentifier(v.imo).replace(/^IMO/, '') : undefined, voyage: v.voyage });
}
