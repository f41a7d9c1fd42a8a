import type { Knex } from 'knex';
import { cutoffIso } from './duration.js';
import type { RetentionConfig } from './retention-config.js';

/** What a prune pass knows: when it is, how far the feed is acknowledged, the policy. */
export interface PruneContext {
  k: Knex;
  checkpoint: string;
  /** Epoch ms (the hub clock; the benchmark simulates it). */
  now: number;
  /** Feed records with seq above this are never deleted. */
  horizon: number;
  policy: RetentionConfig;
}

/** The data kinds retention manages, in the order a pass prunes them (files before the rows naming them). */
export const PRUNE_KINDS = ['rawFiles', 'observations', 'feedEvents', 'deadLetters', 'cases', 'audit'] as const;
export type PruneKind = (typeof PRUNE_KINDS)[number];

/** Observations that belong to a case in a protected state (open, referred…) are kept whatever their age. */
function notInProtectedCase(k: Knex, policy: RetentionConfig, column: string) {
  return function (this: Knex.QueryBuilder) {
    this.select(k.raw('1'))
      .from('case_observations as co')
      .join('cases as pc', 'pc.id', 'co.case_id')
      .whereRaw(`co.observation_id = ${column}`)
      .whereIn('pc.state', policy.protectCaseStates);
  };
}

/** Observations due: older than their period, acknowledged, not of a protected case. */
export function dueObservations(c: PruneContext): Knex.QueryBuilder | null {
  const cutoff = cutoffIso(c.policy.observations, c.now);
  if (!cutoff) return null;
  return c
    .k('observations')
    .where('observations.checkpoint', c.checkpoint)
    .andWhere('observations.seq', '<=', c.horizon)
    .andWhere('observations.received_at', '<', cutoff)
    .whereNotExists(notInProtectedCase(c.k, c.policy, 'observations.id'));
}

/** Delivered feed events (device status changes, case transitions) older than their period. */
export function dueFeedEvents(c: PruneContext): Knex.QueryBuilder | null {
  const cutoff = cutoffIso(c.policy.feedEvents, c.now);
  if (!cutoff) return null;
  return c.k('events').where('checkpoint', c.checkpoint).andWhere('seq', '<=', c.horizon).andWhere('time', '<', cutoff);
}

/** Dead letters are not on the feed: they go by age. */
export function dueDeadLetters(c: PruneContext): Knex.QueryBuilder | null {
  const cutoff = cutoffIso(c.policy.deadLetters, c.now);
  if (!cutoff) return null;
  return c.k('dead_letters').where('checkpoint', c.checkpoint).andWhere('received_at', '<', cutoff);
}

/** Cases with their decisions: only in a final state, and only once the legal period passed since their last change. */
export function dueCases(c: PruneContext): Knex.QueryBuilder | null {
  const cutoff = cutoffIso(c.policy.legalPeriod, c.now);
  if (!cutoff) return null;
  return c.k('cases').where('checkpoint', c.checkpoint).whereNotIn('state', c.policy.protectCaseStates).andWhere('updated_at', '<', cutoff);
}

/**
 * The audit log when this database has it: entries go after the legal period, and only as the chain's
 * oldest run (every entry up to the first one still within the period), so what stays is one unbroken
 * hash chain whose first entry names the hash of the last one deleted.
 */
export async function dueAudit(c: PruneContext): Promise<{ query: Knex.QueryBuilder } | null> {
  const cutoff = cutoffIso(c.policy.legalPeriod, c.now);
  if (!cutoff || !(await c.k.schema.hasTable(AUDIT_TABLE.name))) return null;
  const firstKept = await c.k(AUDIT_TABLE.name).where('checkpoint', c.checkpoint).andWhere(AUDIT_TABLE.time, '>=', cutoff).min({ s: 'seq' }).first();
  const q = c.k(AUDIT_TABLE.name).where(`${AUDIT_TABLE.name}.checkpoint`, c.checkpoint).andWhere(`${AUDIT_TABLE.name}.${AUDIT_TABLE.time}`, '<', cutoff);
  if (firstKept?.s !== null && firstKept?.s !== undefined) q.andWhere(`${AUDIT_TABLE.name}.seq`, '<', Number(firstKept.s));
  // Wrapped: an async function would run a returned query builder (it is a thenable).
  return { query: q };
}

/** Where the audit log lives (issue 12): keyed by (checkpoint, seq), its time an ISO string. */
export const AUDIT_TABLE = { name: 'audit_log', key: 'seq', time: 'at' };

/**
 * Raw-file references due, one query per rule (first match wins, so each rule excludes the earlier ones'
 * matches, and the default excludes them all): old enough for their rule, acknowledged, not of a
 * protected case, file not yet deleted.
 */
export function dueRawRefs(c: PruneContext): Knex.QueryBuilder[] {
  const rules = [...c.policy.rawFiles.rules, { keep: c.policy.rawFiles.default }];
  const queries: Knex.QueryBuilder[] = [];
  rules.forEach((rule, i) => {
    const cutoff = cutoffIso(rule.keep, c.now);
    if (!cutoff) return;
    const q = c
      .k('raw_refs')
      .where('raw_refs.checkpoint', c.checkpoint)
      .whereNull('raw_refs.pruned_at')
      .andWhere('raw_refs.seq', '<=', c.horizon)
      .andWhere('raw_refs.received_at', '<', cutoff)
      .whereNotExists(notInProtectedCase(c.k, c.policy, 'raw_refs.observation_id'));
    const r = rule as { kind?: string; role?: string };
    if (r.kind !== undefined) q.andWhere('raw_refs.kind', r.kind);
    if (r.role !== undefined) q.andWhere('raw_refs.role', r.role);
    // coalesce: NOT (role = 'x') is null, not true, for a file without a role.
    for (const earlier of rules.slice(0, i) as Array<{ kind?: string; role?: string }>) {
      q.whereNot(function () {
        if (earlier.kind !== undefined) this.where('raw_refs.kind', earlier.kind);
        if (earlier.role !== undefined) this.whereRaw("coalesce(raw_refs.role, '') = ?", [earlier.role]);
      });
    }
    queries.push(q);
  });
  return queries;
}
