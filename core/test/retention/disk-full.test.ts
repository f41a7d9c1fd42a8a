import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync, existsSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenStore } from '../../src/auth/token-store.js';
import { createHub } from '../../src/bootstrap.js';
import { parseConfig } from '../../src/config/load-config.js';
import type { Hub } from '../../src/hub.js';
import { DISK_EVENT_TYPE } from '../../src/retention/disk-watcher.js';
import { openDatabase } from '../../src/storage/database.js';
import { FIXTURES, memoryLogger, waitFor } from '../helpers/hub-config.js';

const MB = 1048576;
const SMALL_FS = process.env.HUB_TEST_SMALL_FS;

/** Fills the file system until `free` bytes are left (for unprivileged writers), in a ballast file. */
async function fillTo(dir: string, name: string, free: number): Promise<void> {
  const s = await statfs(dir);
  let need = s.bavail * s.bsize - free;
  const fd = openSync(join(dir, name), 'a');
  const chunk = Buffer.alloc(MB, 7);
  try {
    while (need > 0) {
      const n = Math.min(need, chunk.length);
      try {
        writeSync(fd, chunk, 0, n);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
        throw err;
      }
      need -= n;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Fills a small real file system (tmpfs or loop mount that .ci/run prepares as root; HUB_TEST_SMALL_FS names
 * its mount point) under a running hub, and checks the watermarks, the refusals, that nothing acknowledged
 * is lost, that the database stays sound, and that the hub recovers by itself when space is freed.
 */
describe('disk full on a small real file system', function () {
  this.timeout(120000);
  if (!SMALL_FS) {
    it('is skipped: HUB_TEST_SMALL_FS is not set (as root: mount -t tmpfs -o size=64m tmpfs DIR, then HUB_TEST_SMALL_FS=DIR)', function () {
      this.skip();
    });
    return;
  }

  let dir: string;
  let hub: Hub;
  let ackFile: string;
  let auth: { authorization: string };
  beforeEach(async () => {
    dir = mkdtempSync(join(SMALL_FS, 'hub-'));
    ackFile = join(mkdtempSync(join(tmpdir(), 'hub-acks-')), 'acks.txt');
    const config = parseConfig(
      `checkpoint: { id: FULL-1 }\ndataDir: ${dir}\nhttp: { port: 0 }\nlogging: { level: silent }
retention:
  disk: { lowFreeMb: 24, criticalFreeMb: 12, checkIntervalS: 0.2 }
plugins:
  - package: ${join(FIXTURES, 'raw-producer.js')}
lanes:
  - id: L1
    devices:
      - { id: P, plugin: raw-producer, config: { ackFile: "${ackFile}", intervalMs: 40, sizeKb: 200 } }
`,
      join(dir, 'c.yaml'),
      {},
    ).config;
    ({ hub } = await createHub(config, { logger: memoryLogger().logger, workspaceDir: null }));
    await hub.start({ listen: false });
    auth = { authorization: `Bearer ${(await new TokenStore(hub.db).create('test', ['admin'])).token}` };
  });
  afterEach(async () => {
    await hub?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const health = async () => JSON.parse((await hub.http.inject({ url: '/health/ready' })).payload);
  const upload = (body: Buffer) =>
    hub.http.inject({
      method: 'POST',
      url: '/api/v1/devices/P/files?name=scan.bin',
      payload: body,
      headers: { ...auth, 'content-type': 'application/octet-stream' },
    });
  const acks = () => (existsSync(ackFile) ? readFileSync(ackFile, 'utf8').split('\n').filter(Boolean) : []);
  const diskEvents = async () => (await hub.db.knex('events').where({ type: DISK_EVENT_TYPE }).orderBy('seq')).map((e) => JSON.parse(e.data));

  it('degrades below the low watermark, refuses raw files below the critical one while observations flow, loses nothing, and recovers by itself', async () => {
    await waitFor(() => acks().some((l) => l.startsWith('ack ') && !l.endsWith(' -')), 20000, 'the first raw file stored');
    assert.equal((await health()).status, 'ready');

    await fillTo(dir, 'ballast-1', 18 * MB);
    await waitFor(async () => (await health()).status === 'degraded', 10000, 'degraded health');
    const low = await health();
    assert.match(low.degraded[0], /^disk low: \d+\.\d MB free, below 24\.0 MB; retention runs early$/);
    assert.match(low.checks.disk, /disk low/);
    const metrics = (await hub.http.inject({ url: '/metrics', headers: auth })).payload;
    assert.match(metrics, /customs_hub_disk_state\{state="low",checkpoint="FULL-1"\} 1/);
    assert.match(metrics, /customs_hub_disk_free_bytes\{checkpoint="FULL-1"\} \d+/);
    assert.equal((await upload(Buffer.alloc(64 * 1024, 1))).statusCode, 201, 'still accepted while only low');

    await fillTo(dir, 'ballast-2', 6 * MB);
    await waitFor(() => hub.lifecycle!.disk.state === 'critical', 10000, 'critical');
    const refusedUpload = await upload(Buffer.alloc(64 * 1024, 2));
    assert.equal(refusedUpload.statusCode, 507);
    assert.match(
      JSON.parse(refusedUpload.payload).message,
      /raw store refuses files: \d+\.\d MB free on the hub's disk, below the critical watermark of 12\.0 MB; retry later/,
    );
    await waitFor(() => acks().some((l) => l.startsWith('refused RAW_STORE_FULL true')), 10000, 'a driver refusal');
    const seqAtCritical = hub.writer.sequence;
    await waitFor(() => hub.writer.sequence > seqAtCritical + 10, 10000, 'observations still flowing');
    assert.equal((await health()).status, 'degraded');

    // The disk fills up completely: writes may fail now, but nothing acknowledged may be lost.
    await fillTo(dir, 'ballast-3', 0);
    await new Promise((r) => setTimeout(r, 1500));
    rmSync(join(dir, 'ballast-3'));
    rmSync(join(dir, 'ballast-2'));
    rmSync(join(dir, 'ballast-1'));

    await waitFor(async () => (await health()).status === 'ready', 10000, 'ready again');
    const refusedAt = acks().length;
    await waitFor(
      () =>
        acks()
          .slice(refusedAt)
          .some((l) => l.startsWith('ack ') && !l.endsWith(' -')),
      10000,
      'raw files accepted again',
    );
    assert.equal((await upload(Buffer.alloc(64 * 1024, 3))).statusCode, 201);
    const states = (await diskEvents()).map((e) => e.state);
    assert.deepEqual([states[0], states[1], states[states.length - 1]], ['low', 'critical', 'ok']);

    await hub.stop();
    const db = await openDatabase(`sqlite:${join(dir, 'hub.db')}`);
    try {
      assert.deepEqual(await db.knex.raw('PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
      const acked = acks()
        .filter((l) => l.startsWith('ack '))
        .map((l) => l.split(' '));
      const stored = new Set((await db.knex('observations').select('id')).map((r) => r.id));
      const lost = acked.filter(([, id]) => !stored.has(id));
      assert.deepEqual(lost, [], 'every acknowledged observation is stored');
      const files = acked.flatMap(([, , shas]) => (shas === '-' ? [] : shas!.split(',')));
      const missing = files.filter((sha) => !existsSync(join(dir, 'raw', sha.slice(0, 2), sha)));
      assert.deepEqual(missing, [], 'every raw file an acknowledged observation names is there');
      assert.ok(acked.length >= 3, `${acked.length} acknowledged observations`);
    } finally {
      await db.close();
    }
  });
});
