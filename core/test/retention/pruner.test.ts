import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Writable } from 'node:stream';
import { type Observation, type RawRef } from '@customs-hub/sdk';
import { directoryRawStore, rawFilePath } from '@customs-hub/sdk/runtime';
import { parseConfig } from '../../src/config/load-config.js';
import type { HubConfig } from '../../src/config/types.js';
import { newId } from '../../src/pipeline/ids.js';
import { Pruner } from '../../src/retention/pruner.js';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { GroupCommitWriter } from '../../src/storage/group-commit-writer.js';
import { createLogger } from '../../src/util/logger.js';
import { observation } from '../api/api-fixture.js';
import { storages } from '../helpers/storage.js';

const DAY = 86400_000;
const silent = createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));

function config(dir: string, retention: string): HubConfig {
  return parseConfig(`dataDir: ${dir}\ncheckpoint: { id: CP1 }\nlogging: { level: silent }\nretention:\n${retention}`, join(dir, 'test.yaml'), {}).config;
}

for (const storage of storages()) {
  describe(`retention pruner (${storage.name})`, () => {
    let dir: string;
    let db: Database;
    let writer: GroupCommitWriter;
    let store: ReturnType<typeof directoryRawStore>;

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'hub-retention-'));
      db = await openDatabase(await storage.url());
      writer = new GroupCommitWriter(db, 'CP1', { maxRows: 500, maxDelayMs: 0, queueLimit: 100000 });
      await writer.init();
      store = directoryRawStore(join(dir, 'raw'));
    });
    afterEach(async () => {
      await writer.close();
      await db.close();
      await storage.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    async function scan(n: number, kind = 'xray.scan', role = 'image', overrides: Partial<Observation> = {}): Promise<{ o: Observation; ref: RawRef }> {
      const ref = await store(Readable.from([Buffer.from(`image ${kind} ${n} ${Math.random()}`)]), { role, contentType: 'image/tiff' });
      const o = observation(n, { kind: kind as Observation['kind'], raw: [ref], ...overrides });
      const r = await writer.write({ type: 'observation', observation: o });
      o.seq = r.seq;
      return { o, ref };
    }
    const exists = (ref: RawRef) => existsSync(rawFilePath(join(dir, 'raw'), ref.sha256));
    const count = async (table: string) => Number((await db.knex(table).count({ n: '*' }).first())?.n);
    const pruner = (c: HubConfig, nowMs: number) => new Pruner({ db, writer, config: () => c, rawDir: join(dir, 'raw'), logger: silent, now: () => nowMs });
    const ack = async (consumer: string, seq: number) => {
      await db
        .knex('feed_cursors')
        .insert({ checkpoint: 'CP1', consumer, acked_seq: seq, updated_at: new Date().toISOString() })
        .onConflict(['checkpoint', 'consumer'])
        .merge();
    };

    it('deletes nothing on the feed while no acknowledger is configured, however old', async () => {
      const a = await scan(1);
      const r = await pruner(config(dir, '  observations: 1d\n  rawFiles: { default: 1d }\n'), Date.now() + 400 * DAY).runOnce();
      assert.equal(r.horizon.seq, 0);
      assert.match(r.horizon.note, /nothing on the feed counts as acknowledged/);
      assert.equal(r.deleted.observations + r.deleted.rawFiles, 0);
      assert.ok(exists(a.ref));
      assert.equal(await count('observations'), 1);
    });

    it('deletes old acknowledged observations and their files, keeps what the slowest consumer has not acknowledged', async () => {
      const c = config(dir, '  consumers: [central, archive]\n  observations: 10d\n  rawFiles: { default: 5d }\n');
      const old = await Promise.all([1, 2, 3].map((n) => scan(n)));
      const newer = await Promise.all([4, 5].map((n) => scan(n)));
      await ack('central', newer[1]!.o.seq);
      await ack('archive', Math.max(...old.map((x) => x.o.seq)));
      const r = await pruner(c, Date.now() + 20 * DAY).runOnce();
      assert.equal(r.deleted.observations, 3);
      assert.equal(r.deleted.rawFiles, 3);
      for (const x of old) assert.ok(!exists(x.ref), 'acknowledged file deleted');
      for (const x of newer) assert.ok(exists(x.ref), 'file archive has not acknowledged kept');
      assert.equal(await count('observations'), 2);
      assert.ok(r.freedBytes > 0);
    });

    it('raw files go by their kind and role rule before the observation, which stays', async () => {
      const c = config(
        dir,
        '  requireAcknowledgement: false\n  observations: 90d\n  rawFiles:\n    default: 30d\n    rules:\n      - { kind: xray.scan, role: image, keep: 2d }\n      - { role: spectrum, keep: 60d }\n',
      );
      const image = await scan(1, 'xray.scan', 'image');
      const thumb = await scan(2, 'xray.scan', 'thumbnail');
      const spectrum = await scan(3, 'radiation.spectrum', 'spectrum');
      const r = await pruner(c, Date.now() + 10 * DAY).runOnce();
      assert.equal(r.deleted.rawFiles, 1);
      assert.ok(!exists(image.ref));
      assert.ok(exists(thumb.ref) && exists(spectrum.ref));
      assert.equal(await count('observations'), 3);
      const marked = await db.knex('raw_refs').whereNotNull('pruned_at').select('sha256');
      assert.deepEqual(
        marked.map((m) => m.sha256),
        [image.ref.sha256],
      );
      const later = await pruner(c, Date.now() + 40 * DAY).runOnce();
      assert.equal(later.deleted.rawFiles, 1, 'the default rule takes the thumbnail; the spectrum rule keeps its file');
      assert.ok(!exists(thumb.ref) && exists(spectrum.ref));
    });

    it('keeps everything of an open or referred case and cases for the legal period; released cases go after it', async () => {
      const c = config(dir, '  requireAcknowledgement: false\n  observations: 1d\n  rawFiles: { default: 1d }\n  legalPeriod: 5y\n');
      const [a, b, free] = await Promise.all([scan(1), scan(2), scan(3)]);
      const stamp = new Date().toISOString();
      const caseRow = (id: string, state: string, first: number) => ({
        id,
        checkpoint: 'CP1',
        lane: 'L1',
        state,
        opened_at: stamp,
        updated_at: stamp,
        identifiers: '',
        first_seq: first,
        body: '{}',
      });
      await db.knex('cases').insert([caseRow('case-referred', 'referred', a.o.seq), caseRow('case-released', 'released', b.o.seq)]);
      await db.knex('case_observations').insert([
        { case_id: 'case-referred', observation_id: a.o.id },
        { case_id: 'case-released', observation_id: b.o.id },
      ]);
      const r = await pruner(c, Date.now() + 400 * DAY).runOnce();
      assert.equal(r.deleted.observations, 2, "the released case's and the free observation");
      assert.ok(exists(a.ref) && !exists(b.ref) && !exists(free.ref));
      assert.deepEqual(
        (await db.knex('observations').select('id')).map((x) => x.id),
        [a.o.id],
      );
      assert.equal(r.deleted.cases, 0, 'decisions are kept for the legal period');
      const after = await pruner(c, Date.now() + 6 * 366 * DAY).runOnce();
      assert.equal(after.deleted.cases, 1);
      assert.deepEqual(
        (await db.knex('cases').select('id')).map((x) => x.id),
        ['case-referred'],
      );
      assert.equal(await count('case_observations'), 1);
    });

    it('deletes dead letters and delivered events by age; the sequence never restarts after everything went', async () => {
      const c = config(dir, '  requireAcknowledgement: false\n  observations: 1d\n  feedEvents: 1d\n  deadLetters: 7d\n');
      await db
        .knex('dead_letters')
        .insert({ id: newId(), checkpoint: 'CP1', device_id: 'rpm-1', plugin: 'rpm', received_at: new Date().toISOString(), reason: 'bad', draft: '{}' });
      await scan(1);
      const ev = await writer.write({
        type: 'event',
        event: { id: newId(), type: 'customs.device.status.v1', subject: 'rpm-1', time: new Date().toISOString(), data: {} },
      });
      const r = await pruner(c, Date.now() + 8 * DAY).runOnce();
      assert.deepEqual([r.deleted.deadLetters, r.deleted.feedEvents, r.deleted.observations], [1, 1, 1]);
      const again = new GroupCommitWriter(db, 'CP1', { maxRows: 10, maxDelayMs: 0, queueLimit: 10 });
      await again.init();
      assert.equal(again.sequence, ev.seq, 'a restarted writer continues after the pruned sequence');
    });

    it('stays within small batches and leaves ingest running meanwhile', async () => {
      const c = config(dir, '  requireAcknowledgement: false\n  observations: 1d\n  batchRows: 10\n  batchPauseMs: 0\n');
      await Promise.all(Array.from({ length: 95 }, (_, i) => writer.write({ type: 'observation', observation: observation(i) })));
      const batches: number[] = [];
      const original = writer.write.bind(writer);
      writer.write = (item) => {
        if (item.type === 'maintenance' && item.what === 'retention:observations') batches.push(1);
        return original(item);
      };
      const pass = pruner(c, Date.now() + 2 * DAY).runOnce();
      const during = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          original({ type: 'observation', observation: observation(100 + i, { receivedAt: new Date(Date.now() + 2 * DAY).toISOString() }) }),
        ),
      );
      const r = await pass;
      assert.equal(r.deleted.observations, 95);
      assert.ok(batches.length >= 10, `${batches.length} batches of at most 10`);
      assert.equal(during.length, 20);
      assert.equal(await count('observations'), 20);
    });

    it('keeps audit entries for the legal period, deleting only the oldest run of the chain', async () => {
      if (!(await db.knex.schema.hasTable('audit_log'))) {
        await db.knex.schema.createTable('audit_log', (t) => {
          t.string('checkpoint', 64);
          t.bigInteger('seq');
          t.string('at', 40);
          t.primary(['checkpoint', 'seq']);
        });
      }
      const years = (n: number) => new Date(Date.now() - n * 365.25 * DAY).toISOString();
      const entries = [12, 11, 3, 11.5, 1].map((y, i) => ({ checkpoint: 'CP1', seq: i + 1, at: years(y) }));
      const columns = await db.knex('audit_log').columnInfo();
      const filler = Object.fromEntries(
        Object.keys(columns)
          .filter((c) => !['checkpoint', 'seq', 'at'].includes(c))
          .map((c) => [c, c === 'before' || c === 'after' || c === 'details' ? null : 'x']),
      );
      await db.knex('audit_log').insert(entries.map((e) => ({ ...filler, ...e })));
      const c = config(dir, '  legalPeriod: 10y\n');
      const r = await pruner(c, Date.now()).runOnce();
      assert.equal(r.deleted.audit, 2, 'entries 1 and 2; entry 4 is older than the period but follows one within it');
      assert.deepEqual(
        (await db.knex('audit_log').orderBy('seq').select('seq')).map((x) => Number(x.seq)),
        [3, 4, 5],
      );
    });

    if (storage.name === 'sqlite') {
      it('hands freed pages back to the file system (incremental auto-vacuum)', async () => {
        const c = config(dir, '  requireAcknowledgement: false\n  observations: 1d\n');
        const big = { payload: { grossKg: 1, stable: true, note: 'x'.repeat(4000) } } as unknown as Partial<Observation>;
        await Promise.all(Array.from({ length: 600 }, (_, i) => writer.write({ type: 'observation', observation: observation(i, big) })));
        const pages = async () => Number((await db.knex.raw('PRAGMA page_count'))[0].page_count);
        const before = await pages();
        const r = await pruner(c, Date.now() + 2 * DAY).runOnce();
        assert.ok(r.vacuumedPages > 0);
        assert.ok((await pages()) < before / 2, `page count ${before} → ${await pages()}`);
      });
    }
  });
}
