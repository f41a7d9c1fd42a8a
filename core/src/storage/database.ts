import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import knex, { type Knex } from 'knex';
import { migrationSource } from './migrations/index.js';
import { describeStorageError, isBusy } from './storage-error.js';

export type Dialect = 'sqlite' | 'postgres';

/** The part of a node-sqlite3 connection that knex's afterCreate hook uses. */
interface SqliteConnection {
  exec(sql: string, done: (err: Error | null) => void): void;
}

export interface Database {
  /** The writer's connection (SQLite: the only one that writes). */
  knex: Knex;
  /**
   * For API reads: on SQLite file databases a pool of read-only connections of its own (WAL lets readers run
   * beside the writer), so a request never waits for, or delays, a commit. Elsewhere the same as knex.
   */
  reader: Knex;
  dialect: Dialect;
  close(): Promise<void>;
}

/**
 * Opens the hub's database from a URL: `sqlite:PATH` (WAL, one writer connection) or `postgres://…`.
 * Runs the migrations, the same ones on both.
 */
export async function openDatabase(url: string): Promise<Database> {
  let db: Knex;
  let reader: Knex | null = null;
  let dialect: Dialect;
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    dialect = 'sqlite';
    db = knex({
      client: 'sqlite3',
      connection: { filename: file },
      useNullAsDefault: true,
      // One connection: SQLite has one writer, and a query outside an open transaction would wait for it forever.
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) {
          // auto_vacuum only takes on a new file (before its first table): retention then hands freed pages back
          // with incremental_vacuum. An older file keeps its mode until `customs-hub storage compact`.
          // journal_size_limit: the WAL file is truncated back after checkpoints instead of staying at its peak.
          conn.exec(
            'PRAGMA auto_vacuum = INCREMENTAL; PRAGMA journal_size_limit = 33554432; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;',
            (err: Error | null) => done(err, conn),
          );
        },
      },
    });
    if (file !== ':memory:') {
      reader = knex({
        client: 'sqlite3',
        connection: { filename: file },
        useNullAsDefault: true,
        pool: {
          min: 0,
          max: 2,
          idleTimeoutMillis: 30_000,
          afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) {
            conn.exec('PRAGMA query_only = ON; PRAGMA busy_timeout = 5000;', (err: Error | null) => done(err, conn));
          },
        },
      });
    }
  } else {
    dialect = 'postgres';
    db = knex({ client: 'pg', connection: url, pool: { min: 1, max: 10 } });
  }
  // A CLI command opening a running hub's SQLite file finds it busy now and then: wait, as busy_timeout does.
  const giveUpAt = Date.now() + 30_000;
  for (;;) {
    try {
      await db.migrate.latest({ migrationSource, tableName: 'hub_migrations' });
      break;
    } catch (err) {
      if (isBusy(err) && Date.now() < giveUpAt) {
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
        continue;
      }
      await db.destroy();
      await reader?.destroy();
      throw new Error(`cannot open storage ${redactUrl(url)}: ${isBusy(err) ? describeStorageError(err) : (err as Error).message}`, { cause: err });
    }
  }
  const read = reader ?? db;
  return {
    knex: db,
    reader: read,
    dialect,
    close: async () => {
      await db.destroy();
      if (read !== db) await read.destroy();
    },
  };
}

/** A storage URL without its password, for logs and errors. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
