import type { Knex } from 'knex';
import type { Database } from './database.js';
import { isBusy } from './storage-error.js';

/**
 * A write transaction that waits politely for another process's writes. SQLite: the write lock is taken by the
 * first statement, as BEGIN IMMEDIATE would (knex only issues BEGIN): a transaction that reads first and then
 * writes fails at once with SQLITE_BUSY when another connection wrote meanwhile, busy_timeout or not. A busy
 * database is then retried (the transaction rolled back, so `fn` runs again) until `waitMs`.
 */
export async function writeTransaction<T>(db: Database, fn: (trx: Knex.Transaction) => Promise<T>, waitMs = 30_000): Promise<T> {
  const giveUpAt = Date.now() + waitMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.knex.transaction(async (trx) => {
        if (db.dialect === 'sqlite') await takeWriteLock(trx);
        return fn(trx);
      });
    } catch (err) {
      if (!isBusy(err) || Date.now() >= giveUpAt) throw err;
      await new Promise((r) => setTimeout(r, Math.min(20 * attempt, 250)));
    }
  }
}

/** SQLite: a write that changes nothing, so the transaction holds the write lock from its first statement. */
export function takeWriteLock(trx: Knex.Transaction): Promise<unknown> {
  return trx.raw('DELETE FROM device_status WHERE 0');
}
