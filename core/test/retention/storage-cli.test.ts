import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { directoryRawStore, rawFilePath } from '@customs-hub/sdk/runtime';
import { loadConfig } from '../../src/config/load-config.js';
import { openDatabase } from '../../src/storage/database.js';
import { GroupCommitWriter } from '../../src/storage/group-commit-writer.js';
import { observation } from '../api/api-fixture.js';

const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.js');
const DAY = 86400_000;

describe('customs-hub storage report / prune', function () {
  // Each test starts the CLI up to three times; on a loaded machine one start takes seconds.
  this.timeout(120000);
  let dir: string;
  let file: string;
  const old = new Date(Date.now() - 40 * DAY).toISOString();
  let oldSha = '';
  let newSha = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hub-storage-cli-'));
    file = join(dir, 'checkpoint.yaml');
    writeFileSync(
      file,
      `checkpoint: { id: CP1 }\ndataDir: ${dir}\nlogging: { level: silent }\nretention:\n  consumers: [central]\n  observations: 30d\n  rawFiles: { default: 7d }\n`,
    );
    const config = loadConfig(file);
    const db = await openDatabase(config.storage.url);
    const writer = new GroupCommitWriter(db, 'CP1', { maxRows: 100, maxDelayMs: 0, queueLimit: 1000 });
    await writer.init();
    const store = directoryRawStore(join(dir, 'raw'));
    const a = await store(Readable.from([Buffer.alloc(300_000, 1)]), { role: 'image' });
    const b = await store(Readable.from([Buffer.alloc(200_000, 2)]), { role: 'image' });
    oldSha = a.sha256;
    newSha = b.sha256;
    const r1 = await writer.write({ type: 'observation', observation: observation(1, { kind: 'xray.scan' as never, receivedAt: old, raw: [a] }) });
    await writer.write({ type: 'observation', observation: observation(2, { kind: 'xray.scan' as never, receivedAt: old, raw: [b] }) });
    await Promise.all([3, 4, 5].map((n) => writer.write({ type: 'observation', observation: observation(n, { receivedAt: old }) })));
    await db.knex('feed_cursors').insert({ checkpoint: 'CP1', consumer: 'central', acked_seq: r1.seq, updated_at: old });
    await writer.close();
    await db.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (...args: string[]) => execFileSync(process.execPath, [CLI, 'storage', ...args, '--config', file], { encoding: 'utf8' });

  it('reports space by kind with oldest, newest and what is due, held back by the consumer that has not acknowledged', () => {
    const r = JSON.parse(run('report', '--json'));
    const raw = r.kinds.find((k: any) => k.kind === 'rawFiles');
    const obs = r.kinds.find((k: any) => k.kind === 'observations');
    assert.deepEqual([raw.count, raw.bytes, raw.due, raw.dueBytes], [2, 500_000, 1, 300_000]);
    assert.deepEqual([obs.count, obs.due, obs.oldest], [5, 1, old]);
    assert.equal(r.raw.files, 2);
    assert.match(r.horizon.note, /held by consumer central/);
    const text = run('report');
    assert.match(text, /^observations +5 +- +\S+ +\S+ +1 /m);
  });

  it('prune --dry-run says what would go and why, and deletes nothing', () => {
    const text = run('prune', '--dry-run');
    assert.match(text, /observations: would delete 1 — older than 30d .*acknowledged \(seq <= 1\)/);
    assert.match(text, /rawFiles: would delete 1 /);
    assert.ok(existsSync(rawFilePath(join(dir, 'raw'), oldSha)));
  });

  it('prune deletes what is due, refuses while a hub runs on the data directory', () => {
    writeFileSync(join(dir, 'hub.pid'), String(process.pid));
    const refused = spawnSync(process.execPath, [CLI, 'storage', 'prune', '--config', file], { encoding: 'utf8' });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /the hub is running \(pid \d+\) and prunes by itself/);
    rmSync(join(dir, 'hub.pid'));
    const out = run('prune');
    assert.match(out, /rawFiles: deleted 1\nobservations: deleted 1\n/);
    assert.ok(!existsSync(rawFilePath(join(dir, 'raw'), oldSha)));
    assert.ok(existsSync(rawFilePath(join(dir, 'raw'), newSha)));
    const r = JSON.parse(run('report', '--json'));
    assert.ok(
      r.kinds.every((k: any) => k.due === 0),
      JSON.stringify(r.kinds),
    );
    assert.equal(r.prunedThroughSeq, 1);
  });
});
