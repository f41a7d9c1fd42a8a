import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import sqlite3 from 'sqlite3';
import type { Logger } from '../util/logger.js';
import type { SwallowedErrors } from '../util/swallowed-errors.js';
import { redactUrl } from './database.js';

/** Another hub holds the data dir, the SQLite file, or (PostgreSQL) the checkpoint. */
export class HubLockedError extends Error {
  readonly code = 'HUB_LOCKED';
  constructor(message: string) {
    super(message);
    this.name = 'HubLockedError';
  }
}

export interface HubLock {
  /** What is held, for the start-up log. */
  readonly held: string[];
  release(): Promise<void>;
}

interface Held {
  what: string;
  release(): Promise<void>;
}

function pidIn(dataDir: string): string {
  try {
    return ` (pid ${readFileSync(join(dataDir, 'hub.pid'), 'utf8').trim()})`;
  } catch {
    return '';
  }
}

/**
 * An OS lock on a small SQLite file in exclusive locking mode: held as long as the connection is open, and
 * released by the kernel when the process dies, even by kill -9 — no stale lock file to clean up.
 */
function lockFile(path: string, what: string, owner: string): Promise<Held> {
  mkdirSync(dirname(path), { recursive: true });
  return new Promise((resolve, reject) => {
    const conn = new sqlite3.Database(path, (openErr) => {
      if (openErr) return reject(new Error(`cannot open lock file ${path}: ${openErr.message}`));
      conn.exec(
        `PRAGMA busy_timeout = 0; PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;
        CREATE TABLE IF NOT EXISTS holder (pid INTEGER, since TEXT); DELETE FROM holder;
        INSERT INTO holder VALUES (${process.pid}, '${new Date().toISOString()}'); COMMIT;`,
        (err) => {
          if (!err) return resolve({ what, release: () => new Promise<void>((r) => conn.close(() => r())) });
          conn.close(() => undefined);
          const busy = (err as Error & { code?: string }).code === 'SQLITE_BUSY';
          reject(
            busy
              ? new HubLockedError(`another hub${owner} is using ${what}: ${path} is locked; stop it first, or give this hub its own dataDir and storage`)
              : new Error(`cannot lock ${path}: ${err.message}`),
          );
        },
      );
    });
  });
}

/** One hub per checkpoint on a PostgreSQL database: a session advisory lock on a connection of its own. */
async function lockCheckpoint(url: string, checkpoint: string, logger: Logger, errors?: SwallowedErrors): Promise<Held> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const key = `customs-hub checkpoint ${checkpoint}`;
  const { rows } = await client.query('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [key]);
  if (!rows[0]?.ok) {
    await client.end();
    throw new HubLockedError(`another hub is running checkpoint ${checkpoint} on ${redactUrl(url)} (advisory lock held); one hub per checkpoint`);
  }
  // Losing the connection loses the lock: say so loudly; the hub's own storage errors follow.
  client.on('error', (err) => logger.error({ err: err.message }, 'checkpoint lock connection lost: another hub could now start on this checkpoint'));
  return {
    what: `checkpoint ${checkpoint} on ${redactUrl(url)}`,
    release: async () => {
      // Ending the session drops the lock too: a failed unlock is logged, not thrown.
      const what = { checkpoint, storage: redactUrl(url) };
      await client
        .query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key])
        .catch((err) => errors?.record('hub-lock.unlock', err, what, 'checkpoint lock: unlock failed'));
      await client.end().catch((err) => errors?.record('hub-lock.end', err, what, 'checkpoint lock: closing its connection failed'));
    },
  };
}

/**
 * Takes what makes this hub the only one on its data: the data dir, the SQLite file (a lock file beside it, so
 * CLI commands can still open the database), or the checkpoint on PostgreSQL. A second hub is refused.
 */
export async function acquireHubLock(
  opts: { dataDir: string; storageUrl: string; checkpoint: string },
  logger: Logger,
  errors?: SwallowedErrors,
): Promise<HubLock> {
  const held: Held[] = [];
  const owner = pidIn(opts.dataDir);
  try {
    held.push(await lockFile(join(opts.dataDir, 'hub.lock'), `data dir ${opts.dataDir}`, owner));
    if (opts.storageUrl.startsWith('sqlite:')) {
      const file = opts.storageUrl.slice('sqlite:'.length);
      if (file !== ':memory:') held.push(await lockFile(`${file}.hub-lock`, `database ${file}`, owner));
    } else {
      held.push(await lockCheckpoint(opts.storageUrl, opts.checkpoint, logger, errors));
    }
  } catch (err) {
    await Promise.all(held.map((h) => h.release()));
    throw err;
  }
  return {
    held: held.map((h) => h.what),
    release: async () => {
      await Promise.all(held.splice(0).map((h) => h.release()));
    },
  };
}
