import { createHash } from 'node:crypto';
import type { Actor } from '../auth/principal.js';

/** What an action was done to: a case, a declaration, a token, a device, the config, a model… */
export interface AuditObject {
  type: string;
  id: string;
}

/** One action to record; the log adds the sequence, the time and the chain hashes. */
export interface AuditInput {
  actor: Actor;
  /** `case.referred`, `case.outcome`, `token.created`, `signin.failed`… (see docs/security.md). */
  action: string;
  object: AuditObject;
  before?: unknown;
  after?: unknown;
  details?: unknown;
  /** Defaults to the time of the write. */
  at?: string;
}

/** One stored entry, as `GET /api/v1/audit` and `audit export` give it. */
export interface AuditEntry {
  seq: number;
  id: string;
  checkpoint: string;
  at: string;
  actor: Actor;
  action: string;
  object: AuditObject;
  before: unknown;
  after: unknown;
  details: unknown;
  prevHash: string;
  hash: string;
}

/** The previous hash of a chain's first entry. */
export const GENESIS = '0'.repeat(64);

/** An entry as stored: the JSON texts are hashed exactly as they are kept, so no re-serialization can differ. */
export interface AuditRow {
  checkpoint: string;
  seq: number | string;
  id: string;
  at: string;
  subject: string;
  role: string;
  client: string;
  source: string;
  action: string;
  object_type: string;
  object_id: string;
  before: string | null;
  after: string | null;
  details: string | null;
  prev_hash: string;
  hash: string;
}

/**
 * The hash of an entry: sha256 over its fields and the previous entry's hash. The sequence number is not
 * in it — the chain itself is the order, so a renumbered or moved row breaks the link to its neighbour.
 */
export function entryHash(r: Omit<AuditRow, 'hash' | 'seq'>): string {
  const fields = [
    r.checkpoint,
    r.id,
    r.at,
    r.subject,
    r.role,
    r.client,
    r.source,
    r.action,
    r.object_type,
    r.object_id,
    r.before,
    r.after,
    r.details,
    r.prev_hash,
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** Texts are cut to their column sizes, so a long name can never fail the transaction of the change it records. */
export function toRow(checkpoint: string, seq: number, id: string, input: AuditInput, at: string, prevHash: string): AuditRow {
  const a = input.actor;
  const row = {
    checkpoint,
    id,
    at: input.at ?? at,
    subject: a.subject.slice(0, 200),
    role: a.role.slice(0, 40),
    client: a.client.slice(0, 120),
    source: a.source.slice(0, 100),
    action: input.action.slice(0, 60),
    object_type: input.object.type.slice(0, 40),
    object_id: input.object.id.slice(0, 200),
    before: json(input.before),
    after: json(input.after),
    details: json(input.details),
    prev_hash: prevHash,
  };
  return { ...row, seq, hash: entryHash(row) };
}

export function fromRow(r: AuditRow): AuditEntry {
  const parse = (t: string | null) => (t === null ? null : JSON.parse(t));
  return {
    seq: Number(r.seq),
    id: r.id,
    checkpoint: r.checkpoint,
    at: r.at,
    actor: { subject: r.subject, role: r.role, client: r.client, source: r.source },
    action: r.action,
    object: { type: r.object_type, id: r.object_id },
    before: parse(r.before),
    after: parse(r.after),
    details: parse(r.details),
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
