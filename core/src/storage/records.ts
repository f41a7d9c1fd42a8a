import type { Knex } from 'knex';
import type { DeviceStatus, Observation, UnsequencedObservation } from '@customs-hub/sdk';
import type { AuditInput } from '../audit/audit-entry.js';

/** A non-observation record on the feed (device status change, case transition…). */
export interface FeedEventInput {
  id: string;
  type: string;
  subject: string;
  time: string;
  data: unknown;
}

/**
 * An event item's `apply` writes its own rows (case tables) in the same transaction as the event, and its
 * `audit` entries go into the audit log in that transaction too. An `audit` item records an action that
 * puts nothing on the feed (a sign-in, a token revoked through the API) — `apply` for its own rows.
 */
export type FeedWriteItem =
  | { type: 'observation'; observation: UnsequencedObservation }
  | { type: 'event'; event: FeedEventInput; deviceStatus?: DeviceStatus; apply?: (trx: Knex.Transaction) => Promise<void>; audit?: AuditInput[] }
  | { type: 'audit'; audit: AuditInput[]; apply?: (trx: Knex.Transaction) => Promise<void> }
  /** Internal state written in commit order with the feed but not on it (the correlator's checkpoint). */
  | { type: 'state'; apply: (trx: Knex.Transaction) => Promise<void> };

/**
 * Housekeeping that is not on the feed (retention's deletes): it runs in the writer's transaction like any
 * write, so the writer stays the only writer, gets no sequence number and is never refused for backpressure.
 */
export interface MaintenanceItem {
  type: 'maintenance';
  what: string;
  apply: (trx: Knex.Transaction) => Promise<void>;
}

export type WriteItem = FeedWriteItem | MaintenanceItem;

/** A feed item as committed: an observation now carries the sequence number the writer gave it. */
export type CommittedItem = { type: 'observation'; observation: Observation } | Exclude<FeedWriteItem, { type: 'observation' | 'state' }>;

/** hub_state key: the highest feed sequence retention deleted, so sequences never restart after a full prune. */
export const PRUNED_THROUGH_SEQ = 'pruned_through_seq';

export interface WriteResult {
  id: string;
  /** The feed sequence; 0 for an audit-only item, which is not on the feed. */
  seq: number;
  duplicate: boolean;
  /** Audit log sequence numbers of the item's entries. */
  auditSeqs?: number[];
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
