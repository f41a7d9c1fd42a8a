import { spawn } from 'node:child_process';
import { constants, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { copyFile, mkdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import knex, { type Knex } from 'knex';
import { rawFilePath } from '@customs-hub/sdk/runtime';
import type { HubConfig } from '../config/types.js';
import { openDatabase } from '../storage/database.js';

export const BACKUP_FORMAT = 'customs-hub-backup/v1';
const MANIFEST = 'manifest.json';

/** manifest.json of a backup; written last, so a backup without one is incomplete. */
export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  checkpoint: string;
  createdAt: string;
  dialect: 'sqlite' | 'postgres';
  /** hub.db (SQLite, a consistent copy) or hub.pgdump (pg_dump custom format). */
  database: string;
  /** The last feed sequence in the copy. */
  feedHead: number;
  migrations: string[];
  raw: { files: number; bytes: number; missing: string[] };
}

/** A sqlite URL's file path, or null for PostgreSQL. */
function sqlitePath(url: string): string | null {
  return url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : null;
}

/** libpq's environment for a postgres:// URL, so the password never shows in a process list. */
function pgEnv(url: string): NodeJS.ProcessEnv {
  const u = new URL(url);
  return {
    ...process.env,
    PGHOST: decodeURIComponent(u.hostname),
    PGPORT: u.port || '5432',
    PGDATABASE: decodeURIComponent(u.pathname.slice(1)),
    ...(u.username ? { PGUSER: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { PGPASSWORD: decodeURIComponent(u.password) } : {}),
    ...(u.searchParams.get('sslmode') ? { PGSSLMODE: u.searchParams.get('sslmode')! } : {}),
  };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    child.on('error', (err) =>
      reject(new Error(`${command}: ${err.message}${(err as NodeJS.ErrnoException).code === 'ENOENT' ? ' (install the PostgreSQL client tools)' : ''}`)),
    );
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited ${code}: ${stderr.trim().slice(0, 2000)}`))));
  });
}

/** A connection to a SQLite file that only reads, without migrations (it may be the running hub's). */
function sqliteReader(file: string): Knex {
  return knex({ client: 'sqlite3', connection: { filename: file }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
}

async function feedHeadOf(k: Knex | Knex.Transaction, cp: string): Promise<number> {
  const [o, e] = await Promise.all([
    k('observations').where({ checkpoint: cp }).max({ m: 'seq' }).first(),
    k('events').where({ checkpoint: cp }).max({ m: 'seq' }).first(),
  ]);
  return Math.max(Number(o?.m ?? 0), Number(e?.m ?? 0));
}

/**
 * A consistent online backup: the database as of one moment (SQLite `VACUUM INTO`, which reads in one
 * transaction beside the running hub's writer; PostgreSQL `pg_dump`, one snapshot), then the raw files the
 * copied rows reference. Files retention deleted between the two are listed as missing; files stored after
 * the copy are not referenced by it and not copied.
 */
export async function backup(config: HubConfig, to: string): Promise<BackupManifest> {
  if (existsSync(to) && readdirSync(to).length > 0) throw new Error(`backup directory ${to} is not empty`);
  mkdirSync(to, { recursive: true });
  const file = sqlitePath(config.storage.url);
  if (file) {
    if (file === ':memory:') throw new Error('an in-memory database cannot be backed up');
    if (!existsSync(file)) throw new Error(`no database at ${file}`);
    const live = sqliteReader(file);
    try {
      await live.raw('VACUUM INTO ?', [join(to, 'hub.db')]);
    } finally {
      await live.destroy();
    }
    const copy = sqliteReader(join(to, 'hub.db'));
    try {
      return await finish(config, to, copy, 'sqlite', 'hub.db');
    } finally {
      await copy.destroy();
    }
  }
  // PostgreSQL: pg_dump and the raw-file list read the same snapshot, exported by a transaction held open.
  const db = await openDatabase(config.storage.url);
  try {
    return await db.knex.transaction(async (trx) => {
      await trx.raw('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const snapshot = (await trx.raw('select pg_export_snapshot() as s')).rows[0].s as string;
      await run('pg_dump', ['--format=custom', '--no-owner', `--snapshot=${snapshot}`, `--file=${join(to, 'hub.pgdump')}`], pgEnv(config.storage.url));
      return finish(config, to, trx, 'postgres', 'hub.pgdump');
    });
  } finally {
    await db.close();
  }
}

/** Copies the raw files the backed-up rows name and writes the manifest (last: it marks a complete backup). */
async function finish(
  config: HubConfig,
  to: string,
  reader: Knex | Knex.Transaction,
  dialect: BackupManifest['dialect'],
  database: string,
): Promise<BackupManifest> {
  const cp = config.checkpoint.id;
  const rawDir = join(config.dataDir, 'raw');
  const refs = await reader('raw_refs').whereNull('pruned_at').distinct('sha256', 'size');
  let bytes = 0;
  const missing: string[] = [];
  for (const r of refs) {
    const from = rawFilePath(rawDir, r.sha256);
    const target = rawFilePath(join(to, 'raw'), r.sha256);
    const info = await stat(from).catch(() => null);
    if (!info) {
      missing.push(r.sha256);
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    await copyFile(from, target, constants.COPYFILE_FICLONE);
    bytes += info.size;
  }
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    checkpoint: cp,
    createdAt: new Date().toISOString(),
    dialect,
    database,
    feedHead: await feedHeadOf(reader, cp),
    migrations: (await reader('hub_migrations').orderBy('id').select('name')).map((m) => m.name as string),
    raw: { files: refs.length - missing.length, bytes, missing },
  };
  writeFileSync(join(to, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export function readManifest(from: string): BackupManifest {
  let m: BackupManifest;
  try {
    m = JSON.parse(readFileSync(join(from, MANIFEST), 'utf8'));
  } catch (err) {
    throw new Error(`${from} is not a complete backup (no readable ${MANIFEST}: ${(err as Error).message})`, { cause: err });
  }
  if (m.format !== BACKUP_FORMAT) throw new Error(`${from}: unknown backup format '${m.format}' (expected ${BACKUP_FORMAT})`);
  return m;
}

/**
 * Brings a stopped hub back from a backup: the database (SQLite file copied into place, PostgreSQL through
 * pg_restore into the configured, existing database) and the raw files. Refuses to overwrite data unless
 * `force`, and a backup of another checkpoint unless `force`. Migrations of a newer hub run at its next start.
 */
export async function restore(config: HubConfig, from: string, options: { force?: boolean } = {}): Promise<BackupManifest & { restoredRaw: number }> {
  const m = readManifest(from);
  if (m.checkpoint !== config.checkpoint.id && !options.force)
    throw new Error(`the backup is of checkpoint ${m.checkpoint}, the config is ${config.checkpoint.id} (--force to restore anyway)`);
  const file = sqlitePath(config.storage.url);
  if ((file ? 'sqlite' : 'postgres') !== m.dialect)
    throw new Error(`the backup is a ${m.dialect} database and the config's storage is ${file ? 'sqlite' : 'postgres'}`);
  if (!options.force) {
    const hasData = file
      ? existsSync(file)
      : await (async () => {
          const db = knex({ client: 'pg', connection: config.storage.url });
          try {
            return await db.schema.hasTable('observations');
          } finally {
            await db.destroy();
          }
        })();
    if (hasData) throw new Error(`the configured storage already holds a database${file ? ` (${file})` : ''}; --force replaces it`);
  }
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    for (const suffix of ['-wal', '-shm', '']) await rm(`${file}${suffix}`, { force: true });
    await copyFile(join(from, m.database), file);
  } else {
    await run(
      'pg_restore',
      ['--clean', '--if-exists', '--no-owner', `--dbname=${pgEnv(config.storage.url).PGDATABASE}`, join(from, m.database)],
      pgEnv(config.storage.url),
    );
  }
  let restoredRaw = 0;
  const rawFrom = join(from, 'raw');
  for (const shard of existsSync(rawFrom) ? readdirSync(rawFrom) : []) {
    for (const sha of readdirSync(join(rawFrom, shard))) {
      const target = rawFilePath(join(config.dataDir, 'raw'), sha);
      const have = await stat(target).catch(() => null);
      const size = (await stat(join(rawFrom, shard, sha))).size;
      if (have?.size === size) continue;
      await mkdir(dirname(target), { recursive: true });
      await copyFile(join(rawFrom, shard, sha), target, constants.COPYFILE_FICLONE);
      restoredRaw++;
    }
  }
  // Opening runs the migrations a newer hub has, and checks the copy opens.
  const db = await openDatabase(config.storage.url);
  await db.close();
  return { ...m, restoredRaw };
}
