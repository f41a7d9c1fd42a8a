import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knex from 'knex';

export interface TestStorage {
  name: string;
  url(): Promise<string>;
  cleanup(): Promise<void>;
}

/** SQLite always; PostgreSQL too when HUB_TEST_PG_URL is set (each suite gets its own database). */
export function storages(): TestStorage[] {
  const list: TestStorage[] = [];
  let dir = '';
  list.push({
    name: 'sqlite',
    url: async () => {
      dir = mkdtempSync(join(tmpdir(), 'hub-db-'));
      return `sqlite:${join(dir, 'hub.db')}`;
    },
    cleanup: async () => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  });
  const pg = process.env.HUB_TEST_PG_URL;
  if (pg) {
    let dbName = '';
    list.push({
      name: 'postgres',
      url: async () => {
        dbName = `hub_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
        const admin = knex({ client: 'pg', connection: pg });
        await admin.raw(`create database ${dbName}`);
        await admin.destroy();
        const u = new URL(pg);
        u.pathname = `/${dbName}`;
        return u.toString();
      },
      cleanup: async () => {
        if (!dbName) return;
        const admin = knex({ client: 'pg', connection: pg });
        await admin.raw(`drop database if exists ${dbName} with (force)`);
        await admin.destroy();
      },
    });
  } else {
    process.stdout.write('  (PostgreSQL variants skipped: HUB_TEST_PG_URL is not set)\n');
  }
  return list;
}
