import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseConfig } from '../../src/config/load-config.js';
import { DISK_EVENT_TYPE, DiskWatcher } from '../../src/retention/disk-watcher.js';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { FeedReader } from '../../src/storage/feed-reader.js';
import { GroupCommitWriter } from '../../src/storage/group-commit-writer.js';
import { createLogger } from '../../src/util/logger.js';
import { waitFor } from '../helpers/hub-config.js';

const MB = 1048576;

describe('disk watcher', () => {
  let dir: string;
  let db: Database;
  let writer: GroupCommitWriter;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hub-disk-'));
    db = await openDatabase(`sqlite:${join(dir, 'hub.db')}`);
    writer = new GroupCommitWriter(db, 'CP1', { maxRows: 100, maxDelayMs: 0, queueLimit: 1000 });
    await writer.init();
  });
  afterEach(async () => {
    await writer.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('goes low and critical at the watermarks, says why, wakes the pruner, puts each change on the feed, and needs a margin to go back', async () => {
    const config = parseConfig(
      `dataDir: ${dir}\ncheckpoint: { id: CP1 }\nretention: { disk: { lowFreeMb: 100, criticalFreeMb: 20 } }\n`,
      join(dir, 'x.yaml'),
      {},
    ).config;
    let free = 500 * MB;
    const woken: string[] = [];
    const w = new DiskWatcher({
      dir,
      config: () => config,
      writer,
      logger: createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() })),
      onLow: (r) => woken.push(r),
      statfs: async () => ({ free, total: 1000 * MB }),
    });
    assert.equal(await w.check(), 'ok');
    assert.equal(w.reason(), null);
    free = 80 * MB;
    assert.equal(await w.check(), 'low');
    assert.match(w.reason()!, /^disk low: 80\.0 MB free, below 100\.0 MB; retention runs early$/);
    free = 10 * MB;
    assert.equal(await w.check(), 'critical');
    assert.match(w.reason()!, /raw files are refused, observations still accepted/);
    free = 20.5 * MB;
    assert.equal(await w.check(), 'critical', 'within the margin above the critical watermark');
    free = 30 * MB;
    assert.equal(await w.check(), 'low');
    free = 102 * MB;
    assert.equal(await w.check(), 'low', 'within the margin above the low watermark');
    free = 200 * MB;
    assert.equal(await w.check(), 'ok');
    assert.ok(woken.length >= 4);
    const feed = new FeedReader(db, 'CP1');
    await waitFor(async () => (await feed.read(0, 10)).length === 4, 5000, 'four disk events');
    const events = (await feed.read(0, 10)).map((r) => ({ type: r.type, ...JSON.parse(r.json) }));
    assert.deepEqual(
      events.map((e) => [e.type, e.previous, e.state]),
      [
        [DISK_EVENT_TYPE, 'ok', 'low'],
        [DISK_EVENT_TYPE, 'low', 'critical'],
        [DISK_EVENT_TYPE, 'critical', 'low'],
        [DISK_EVENT_TYPE, 'low', 'ok'],
      ],
    );
    assert.equal(events[1].freeBytes, 10 * MB);
    assert.equal(events[1].criticalFreeBytes, 20 * MB);
  });

  it('refuses watermarks in the wrong order and a legal period under a year, naming the line', () => {
    assert.throws(
      () => parseConfig(`checkpoint: { id: CP1 }\nretention:\n  disk: { lowFreeMb: 10, criticalFreeMb: 20 }\n`, 'c.yaml', {}),
      /c\.yaml:3: retention: retention\.disk\.criticalFreeMb must not be above lowFreeMb/,
    );
    assert.throws(() => parseConfig(`checkpoint: { id: CP1 }\nretention:\n  legalPeriod: 200d\n`, 'c.yaml', {}), /legalPeriod 200d is shorter than a year/);
    assert.throws(() => parseConfig(`checkpoint: { id: CP1 }\nretention:\n  observations: 3 weeks\n`, 'c.yaml', {}), /retention\.observations/);
    assert.throws(() => parseConfig(`checkpoint: { id: CP1 }\nretention:\n  protectCaseStates: [open]\n`, 'c.yaml', {}), /must include open and referred/);
  });
});
