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
export type FeedWriteItem =
  | { type: 'observation'; observation: Observation }
  | { type: 'event'; event: FeedEventInput; deviceStatus?: DeviceStatus; apply?: (trx: Knex.Transaction) => Promise<void> };

/**
 * Housekeeping that is not on the feed (retention's deletes): it runs in the writer's transaction like any
 * write, so the writer stays the only writer, gets no sequence number and is never refused for backpressure.
 */
export interface MaintenanceItem { type: 'maintenance'; what: string; apply: (trx: Knex.Transaction) => Promise<void> }

export type WriteItem = FeedWriteItem | MaintenanceItem;

/** hub_state key: the highest feed sequence retention deleted, so sequences never restart after a full prune. */
export const PRUNED_THROUGH_SEQ = 'pruned_through_seq';

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
