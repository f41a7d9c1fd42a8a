import type { Knex } from 'knex';
import type { Database } from '../storage/database.js';
import type { GroupCommitWriter } from '../storage/group-commit-writer.js';
import { fromRow, type AuditEntry, type AuditInput, type AuditRow } from './audit-entry.js';

export interface AuditQuery {
  /** ISO times, `from` inclusive, `to` exclusive. */
  from?: string;
  to?: string;
  /** Entries after this sequence number (paging). */
  after?: number;
  objectType?: string;
  objectId?: string;
  subject?: string;
  action?: string;
  limit: number;
}

/**
 * The audit log of one checkpoint. Actions that change something else record through the writer item of
 * that change (`audit` on an event item); `record` is for actions that are only an entry (a sign-in, a
 * failed sign-in) or whose change rides in `apply`.
 */
export class AuditLog {
  constructor(
    private readonly db: Database,
    private readonly writer: GroupCommitWriter,
    readonly checkpoint: string,
  ) {}

  /** Appends the entries in one transaction (with `apply`'s rows, when given); resolves after the commit. */
  async record(inputs: AuditInput | AuditInput[], apply?: (trx: Knex.Transaction) => Promise<void>): Promise<number[]> {
    const audit = Array.isArray(inputs) ? inputs : [inputs];
    const result = await this.writer.write({ type: 'audit', audit, ...(apply ? { apply } : {}) });
    return result.auditSeqs ?? [];
  }

  /** Entries in sequence order. */
  async list(q: AuditQuery): Promise<AuditEntry[]> {
    return (await queryAudit(this.db, this.checkpoint, q)).map(fromRow);
  }

  /** Everything recorded about one object (a case's history), oldest first. */
  async history(type: string, id: string, limit = 1000): Promise<AuditEntry[]> {
    return this.list({ objectType: type, objectId: id, limit });
  }

  async head(): Promise<{ seq: number; hash: string } | null> {
    const row = await this.db.knex('audit_log').select('seq', 'hash').where({ checkpoint: this.checkpoint }).orderBy('seq', 'desc').first();
    return row ? { seq: Number(row.seq), hash: row.hash } : null;
  }
}

export function queryAudit(db: Database, checkpoint: string, q: AuditQuery): Promise<AuditRow[]> {
  const k = db.knex('audit_log').select('*').where({ checkpoint });
  if (q.from) k.andWhere('at', '>=', q.from);
  if (q.to) k.andWhere('at', '<', q.to);
  if (q.after !== undefined) k.andWhere('seq', '>', q.after);
  if (q.objectType) k.andWhere('object_type', q.objectType);
  if (q.objectId) k.andWhere('object_id', q.objectId);
  if (q.subject) k.andWhere('subject', q.subject);
  if (q.action) k.andWhere('action', q.action);
  return k.orderBy('seq').limit(q.limit) as unknown as Promise<AuditRow[]>;
}
