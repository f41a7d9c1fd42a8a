import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHub } from '../src/bootstrap.js';
import type { Hub } from '../src/hub.js';
import { acquireHubLock } from '../src/storage/hub-lock.js';
import { memoryLogger, testConfig } from './helpers/hub-config.js';
import { storages } from './helpers/storage.js';

const CONFIG = 'checkpoint: { id: LOCK-1 }\nlanes: []\n';
const start = async (yaml: string, url?: string, dataDir?: string): Promise<Hub> => {
  const { hub } = await createHub(testConfig(yaml, url, dataDir), { logger: memoryLogger().logger, workspaceDir: null });
  await hub.start({ listen: false });
  return hub;
};

describe('one hub per data dir, database and checkpoint', function () {
  this.timeout(30000);

  it('refuses a second hub on the same data dir, and on the same SQLite file from another data dir', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hub-lock-'));
    const url = `sqlite:${join(dataDir, 'hub.db')}`;
    const first = await start(CONFIG, url, dataDir);
    try {
      await assert.rejects(start(CONFIG, url, dataDir), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'HUB_LOCKED');
        assert.match(err.message, new RegExp(`another hub \\(pid ${process.pid}\\) is using data dir ${dataDir}`));
        return true;
      });
      await assert.rejects(start(CONFIG, url), /another hub( \(pid \d+\))? is using database .*hub\.db: .*hub\.db\.hub-lock is locked/);
      const rows = await first.db.knex('events').count({ n: '*' }).first();
      assert.ok(Number(rows!.n) >= 0, 'the first hub still works');
    } finally {
      await first.stop();
    }
    const again = await start(CONFIG, url, dataDir);
    await again.stop();
  });

  it('is released by the kernel when the holder is killed with SIGKILL', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hub-lock-kill-'));
    const storageUrl = `sqlite:${join(dataDir, 'hub.db')}`;
    const script = `require(${JSON.stringify(join(__dirname, '..', 'src', 'storage', 'hub-lock.js'))}).acquireHubLock(${JSON.stringify({ dataDir, storageUrl, checkpoint: 'K' })}, console)
      .then(() => process.stdout.write('locked\\n'), (e) => { console.error(e.message); process.exit(3); }); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => String(d).includes('locked') && resolve());
      child.once('exit', () => reject(new Error('child exited')));
    });
    const { logger } = memoryLogger();
    await assert.rejects(acquireHubLock({ dataDir, storageUrl, checkpoint: 'K' }, logger), /is locked/);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    const lock = await acquireHubLock({ dataDir, storageUrl, checkpoint: 'K' }, logger);
    assert.equal(lock.held.length, 2);
    await lock.release();
  });

  const pg = storages().find((s) => s.name === 'postgres');
  (pg ? it : it.skip)('refuses a second hub of the same checkpoint on one PostgreSQL database (advisory lock)', async () => {
    const url = await pg!.url();
    const first = await start(CONFIG, url);
    try {
      await assert.rejects(start(CONFIG, url), /another hub is running checkpoint LOCK-1 on .* \(advisory lock held\)/);
      const other = await start('checkpoint: { id: LOCK-2 }\nlanes: []\n', url);
      await other.stop();
    } finally {
      await first.stop();
      await pg!.cleanup();
    }
  });
});
