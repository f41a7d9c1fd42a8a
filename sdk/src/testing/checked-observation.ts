import { randomUUID } from 'node:crypto';
import type { Observation, ObservationDraft } from '../model/observation.js';
import { compileModel, createAjv, describeErrors } from '../model-validator.js';
import { completeObservation, sequenced } from '../normalize.js';
import { SCHEMA_IDS } from '../schemas.js';

export interface CheckedObservationOptions {
  plugin?: { name: string; version: string };
  deviceId?: string;
  checkpoint?: string;
  lane?: string | null;
  seq?: number;
  receivedAt?: Date;
}

let validate: ReturnType<typeof compileModel<Observation>> | null = null;

/**
 * A draft as the hub would store it: completed (normalized identifiers, defaults), given a sequence number and
 * validated against the data model. Throws with the reason, naming the field, when the hub would refuse it.
 * For a file reader's tests; a running driver is tested with TestHarness.
 */
export function checkedObservation(draft: ObservationDraft, o: CheckedObservationOptions = {}): Observation {
  validate ??= compileModel<Observation>(createAjv(), SCHEMA_IDS.observation);
  const obs = sequenced(
    completeObservation(draft, {
      id: randomUUID(),
      checkpoint: o.checkpoint ?? 'TEST',
      lane: o.lane === undefined ? 'L1' : o.lane,
      deviceId: o.deviceId ?? 'dev-1',
      plugin: o.plugin ?? { name: 'test', version: '0.0.0' },
      receivedAt: o.receivedAt ?? new Date(),
    }),
    o.seq ?? 1,
  );
  if (!validate(obs)) throw new Error(`invalid observation (${draft.kind}): ${describeErrors(validate.errors)}`);
  return obs;
}
