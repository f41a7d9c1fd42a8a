import { isValidContainerNumber, normalizeContainerNumber } from './iso6346.js';
import type { ContainerId, Conveyance, Observation, ObservationDraft, ObservationKind, PlateId, UnsequencedObservation } from './model/observation.js';

/** What the hub knows about an observation beyond the driver's draft (the sequence number comes later, from the writer). */
export interface ObservationEnvelope {
  id: string;
  checkpoint: string;
  lane: string | null;
  deviceId: string;
  plugin: { name: string; version: string };
  receivedAt: Date;
}

function toContainer(c: string | ContainerId): ContainerId {
  const raw = typeof c === 'string' ? c : (c.raw ?? c.number);
  const number = normalizeContainerNumber(typeof c === 'string' ? c : c.number);
  const out: ContainerId = { number, valid: isValidContainerNumber(number) };
  if (raw !== number) out.raw = raw;
  if (typeof c !== 'string' && c.confidence !== undefined) out.confidence = c.confidence;
  return out;
}

function toPlate(p: string | PlateId): PlateId {
  const plate = typeof p === 'string' ? { number: p } : { ...p };
  plate.number = plate.number.toUpperCase().replace(/\s+/g, '');
  return plate;
}

function toConveyance(draft: ObservationDraft): Conveyance {
  const c = draft.conveyance ?? {};
  const out: Conveyance = { containers: (c.containers ?? []).map(toContainer), plates: (c.plates ?? []).map(toPlate) };
  if (c.itemId !== undefined) out.itemId = c.itemId;
  return out;
}

function isoTime(t: string | Date | undefined, fallback: Date): string {
  if (t === undefined) return fallback.toISOString();
  if (t instanceof Date) return Number.isNaN(t.getTime()) ? String(t) : t.toISOString();
  return t;
}

/**
 * Turns a driver's draft into a full observation: normalizes container numbers (checking ISO 6346
 * check digits, keeping invalid ones flagged rather than dropped) and fills defaults. Validation follows.
 */
export function completeObservation(draft: ObservationDraft, env: ObservationEnvelope): UnsequencedObservation {
  const obs: UnsequencedObservation = {
    schema: 'observation/v1',
    id: env.id,
    checkpoint: env.checkpoint,
    lane: env.lane,
    deviceId: env.deviceId,
    plugin: env.plugin,
    kind: draft.kind,
    deviceTime: isoTime(draft.deviceTime, env.receivedAt),
    receivedAt: env.receivedAt.toISOString(),
    conveyance: toConveyance(draft),
    alarms: draft.alarms ?? [],
    quality: draft.quality ?? { status: 'good' },
    payload: draft.payload,
  };
  if (draft.sourceId !== undefined) obs.sourceId = draft.sourceId;
  if (draft.replaces !== undefined) obs.replaces = draft.replaces;
  if (draft.raw !== undefined) obs.raw = draft.raw;
  if (draft.extensions !== undefined) obs.extensions = draft.extensions;
  return obs;
}

/**
 * The observation with its feed sequence number, a new object in the stored field order (seq after id); the
 * given one is left as it was. The writer calls it at commit, the testing kit when it accepts a draft.
 */
export function sequenced<K extends ObservationKind>(observation: UnsequencedObservation<K>, seq: number): Observation<K> {
  const { schema, id, ...rest } = observation;
  const out = { schema, id, seq, ...rest } as Observation<K>;
  out.seq = seq; // an Observation passed in already sequenced carries its old seq in rest
  return out;
}
