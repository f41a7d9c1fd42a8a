import type { Knex } from 'knex';
import type { DeviceStatus, Observation } from '@customs-hub/sdk';

/** A non-observation record on the feed (device status change, case transition…). */
export interface FeedEventInput {
  id: string;
  type: string;
  subject: string;
  time: string;
  data: unknown;
}

/** An event item's `apply` writes its own rows (case tables) in the same transaction as the event. */
export type WriteItem =
  | { type: 'observation'; observation: Observation }
  | { type: 'event'; event: FeedEventInput; deviceStatus?: DeviceStatus; apply?: (trx: Knex.Transaction) => Promise<void> }
  /** Internal state written in commit order with the feed but not on it (the correlator's checkpoint). */
  | { type: 'state'; apply: (trx: Knex.Transaction) => Promise<void> };

export interface WriteResult {
  id: string;
  seq: number;
  duplicate: boolean;
}

/** One record of the feed, in sequence order, as stored. */
export interface FeedRecord {
  seq: number;
  id: string;
  type: string;
  subject: string;
  time: string;
  /** The observation or event data, as JSON text exactly as stored. */
  json: string;
}

export const OBSERVATION_EVENT_TYPE = 'customs.observation.v1';
