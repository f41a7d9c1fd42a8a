import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import knex from 'knex';
import { rawFilePath } from '@customs-hub/sdk/runtime';
import { createHub } from '../../src/bootstrap.js';
import { loadConfigFile } from '../../src/config/load-config.js';
import { openDatabase } from '../../src/storage/database.js';
import { FeedReader } from '../../src/storage/feed-reader.js';
import { FIXTURES, memoryLogger, waitFor } from '../helpers/hub-config.js';
import { storages } from '../helpers/storage.js';

const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.js');
const exec = promisify(execFile);

function writeConfig(dir: string, storageUrl: string, ackFile: string): string {
  const file = join(dir, 'checkpoint.yaml');
  writeFileSync(
    file,
    `checkpoint: { id: BK-1 }\ndataDir: ${dir}\nstorage: { url: "${storageUrl}" }\nhttp: { port: 0 }\nlogging: { level: silent }
retention: { disk: { lowFreeMb: 1, criticalFreeMb: 0 } }
plugins:
  - package: ${join(FIXTURES, 'raw-producer.js')}
lanes:
  - id: L1
    devices:
      - { id: P, plugin: raw-producer, config: { ackFile: "${ackFile}", intervalMs: 20, sizeKb: 40 } }
`,
  );
  return file;
}

/** A second PostgreSQL database to restore into, beside the one the storage helper made. */
async function otherPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = knex({ client: 'pg', connection: process.env.HUB_TEST_PG_URL });
  const name = `hub_restore_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await admin.raw(`create database ${name}`);
  await admin.destroy();
  const u = new URL(process.env.HUB_TEST_PG_URL!);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const a = knex({ client: 'pg', connection: process.env.HUB_TEST_PG_URL });
      await a.raw(`drop database if exists ${name} with (force)`);
      await a.destroy();
    },
  };
}

for (const storage of storages()) {
  describe(`backup and restore (${storage.name})`, function () {
    this.timeout(120000);
    const cleanups: Array<() => Promise<void> | void> = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0).reverse()) await c();
      await storage.cleanup();
    });

    it('backs up a running hub consistently and restores a hub with the same feed and raw files', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'hub-backup-src-'));
      const ackFile = join(dir, 'acks.txt');
      const { config, source } = loadConfigFile(writeConfig(dir, await storage.url(), ackFile));
      const { hub } = await createHub(config, { source, logger: memoryLogger().logger, workspaceDir: null });
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      await hub.start({ listen: false });
      let stopped = false;
      cleanups.push(async () => {
        if (!stopped) await hub.stop();
      });
      await waitFor(() => hub.writer.sequence >= 40, 30000, '40 records');

      const to = join(mkdtempSync(join(tmpdir(), 'hub-backup-')), 'b1');
      cleanups.push(() => rmSync(join(to, '..'), { recursive: true, force: true }));
      const before = hub.writer.sequence;
      const { stdout } = await exec(process.execPath, [CLI, 'backup', '--to', to, '--config', config.file!]);
      const during = hub.writer.sequence;
      assert.ok(during > before, 'the hub kept writing during the backup');
      const manifest = JSON.parse(readFileSync(join(to, 'manifest.json'), 'utf8'));
      assert.match(
        stdout,
        new RegExp(
          `backup of BK-1 in .*: ${storage.name === 'sqlite' ? 'sqlite' : 'postgres'} database .* through feed seq ${manifest.feedHead}, ${manifest.raw.files} raw files`,
        ),
      );
      assert.ok(manifest.feedHead >= before && manifest.feedHead <= hub.writer.sequence);
      assert.ok(manifest.raw.files > 10);
      assert.deepEqual(manifest.raw.missing, []);
      await waitFor(() => hub.writer.sequence > manifest.feedHead + 20, 30000, 'more records after the backup');
      await hub.stop();
      stopped = true;

      // The original feed up to the backup's head, to compare with the restored one.
      const srcDb = await openDatabase(config.storage.url);
      const original = await new FeedReader(srcDb, 'BK-1').read(0, 100000);
      await srcDb.close();
      const upToHead = original.filter((r) => r.seq <= manifest.feedHead);

      const target = mkdtempSync(join(tmpdir(), 'hub-restore-'));
      cleanups.push(() => rmSync(target, { recursive: true, force: true }));
      let targetUrl = `sqlite:${join(target, 'hub.db')}`;
      if (storage.name === 'postgres') {
        const other = await otherPgDatabase();
        cleanups.push(() => other.drop());
        targetUrl = other.url;
      }
      const restoredFile = writeConfig(target, targetUrl, join(target, 'acks.txt'));
      const r = await exec(process.execPath, [CLI, 'restore', '--from', to, '--config', restoredFile]);
      assert.match(r.stdout, new RegExp(`restored BK-1 from .* feed through seq ${manifest.feedHead}, ${manifest.raw.files} raw files copied`));
      if (storage.name === 'sqlite') {
        await assert.rejects(
          exec(process.execPath, [CLI, 'restore', '--from', to, '--config', restoredFile]),
          /already holds a database .*--force replaces it/,
        );
      }

      const { config: rc } = loadConfigFile(restoredFile);
      const db = await openDatabase(rc.storage.url);
      const restored = await new FeedReader(db, 'BK-1').read(0, 100000);
      assert.deepEqual(restored, upToHead, 'the restored feed is the original up to the backup');
      for (const ref of await db.knex('raw_refs').whereNull('pruned_at').distinct('sha256')) {
        const path = rawFilePath(join(target, 'raw'), ref.sha256);
        assert.ok(existsSync(path), `raw file ${ref.sha256}`);
        assert.equal(createHash('sha256').update(readFileSync(path)).digest('hex'), ref.sha256);
      }
      await db.close();

      // A hub started on the restored data continues the feed after the backup's head.
      rmSync(join(target, 'hub.pid'), { force: true });
      const { hub: again } = await createHub(rc, { logger: memoryLogger().logger, workspaceDir: null });
      await again.start({ listen: false });
      try {
        assert.equal(again.writer.sequence >= manifest.feedHead, true);
        await waitFor(() => again.writer.sequence > manifest.feedHead, 20000, 'the restored hub writing');
      } finally {
        await again.stop();
      }
    });
  });
}
