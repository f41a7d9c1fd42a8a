import type { Knex } from 'knex';
import type { Dialect } from '../storage/database.js';
import { newId } from '../pipeline/ids.js';
import { GENESIS, toRow, type AuditInput } from './audit-entry.js';

/**
 * Appends entries to a checkpoint's chain inside the caller's transaction — the one that makes the change
 * they record, so there is no change without its entry and no entry without its change. The head is read
 * in the transaction: the hub's writer and a CLI command (tokens) can both append. On PostgreSQL an
 * advisory lock serializes appenders; SQLite has one writer at a time anyway.
 */
export async function appendAudit(
  trx: Knex.Transaction,
  dialect: Dialect,
  checkpoint: string,
  inputs: AuditInput[],
  now = new Date(),
): Promise<Array<{ id: string; seq: number }>> {
  if (inputs.length === 0) return [];
  if (dialect === 'postgres') await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`audit_log:${checkpoint}`]);
  const head = await trx('audit_log').select('seq', 'hash').where({ checkpoint }).orderBy('seq', 'desc').first();
  let seq = Number(head?.seq ?? 0);
  let prev: string = head?.hash ?? GENESIS;
  const at = now.toISOString();
  const rows = inputs.map((input) => {
    const row = toRow(checkpoint, ++seq, newId(), input, at, prev);
    prev = row.hash;
    return row;
  });
  for (let i = 0; i < rows.length; i += 200) await trx('audit_log').insert(rows.slice(i, i + 200));
  return rows.map((r) => ({ id: r.id, seq: Number(r.seq) }));
}
