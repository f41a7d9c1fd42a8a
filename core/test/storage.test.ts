import assert from 'node:assert/strict';
import type { Observation } from '@customs-hub/sdk';
import { openDatabase, type Database } from '../src/storage/database.js';
import { FeedReader } from '../src/storage/feed-reader.js';
import { GroupCommitWriter } from '../src/storage/group-commit-writer.js';
import { newId } from '../src/pipeline/ids.js';
import { storages } from './helpers/storage.js';

function observation(n: number, sourceId?: string): Observation {
  return {
    schema: 'observation/v1',
    id: newId(),
    seq: 0,
    checkpoint: 'CP',
    lane: 'L1',
    deviceId: 'D1',
    plugin: { name: 'p', version: '1.0.0' },
    kind: 'weight',
    deviceTime: new Date().toISOString(),
    receivedAt: new Date().toISOString(),
    conveyance: { containers: [{ number: 'CSQU3054383', valid: true }], plates: [] },
    alarms: [],
    quality: { status: 'good' },
    payload: { grossKg: 1000 + n, stable: true },
    ...(sourceId ? { sourceId } : {}),
  };
}

for (const storage of storages()) {
  describe(`storage on ${storage.name}`, () => {
    let db: Database;
    let writer: GroupCommitWriter;

    before(async () => {
      db = await openDatabase(await storage.url());
    });
    after(async () => {
      await db.close();
      await storage.cleanup();
    });
    beforeEach(async () => {
      await db.knex('observations').del();
      await db.knex('events').del();
      writer = new GroupCommitWriter(db, 'CP', { maxRows: 100, maxDelayMs: 0, queueLimit: 10000 });
      await writer.init();
    });

    it('commits concurrent writes in groups, with gap-free increasing sequence numbers', async () => {
      const results = await Promise.all(Array.from({ length: 250 }, (_, i) => writer.write({ type: 'observation', observation: observation(i) })));
      assert.deepEqual(
        results.map((r) => r.seq),
        Array.from({ length: 250 }, (_, i) => i + 1),
      );
      assert.ok(writer.stats.transactions <= 5, `expected batching, got ${writer.stats.transactions} transactions`);
      const rows = await db.knex('observations').count({ n: '*' }).first();
      assert.equal(Number(rows!.n), 250);
    });

    it('accepts a (device, sourceId) once and answers duplicates with the first receipt', async () => {
      const first = await writer.write({ type: 'observation', observation: observation(1, 'scan-42') });
      const [again, inBatchA, inBatchB] = await Promise.all([
        writer.write({ type: 'observation', observation: observation(2, 'scan-42') }),
        writer.write({ type: 'observation', observation: observation(3, 'scan-43') }),
        writer.write({ type: 'observation', observation: observation(4, 'scan-43') }),
      ]);
      assert.deepEqual(again, { id: first.id, seq: first.seq, duplicate: true });
      assert.equal(inBatchA!.duplicate, false);
      assert.deepEqual(inBatchB, { ...inBatchA, duplicate: true });
      assert.equal(writer.sequence, 2, 'duplicates take no sequence number');
    });

    it('resumes the sequence after a restart and reads the feed merged in order', async () => {
      await writer.write({ type: 'observation', observation: observation(1) });
      await writer.write({
        type: 'event',
        event: { id: newId(), type: 'customs.device.status.v1', subject: 'D1', time: new Date().toISOString(), data: { state: 'online' } },
      });
      await writer.close();
      const again = new GroupCommitWriter(db, 'CP', { maxRows: 100, maxDelayMs: 0, queueLimit: 100 });
      await again.init();
      const r = await again.write({ type: 'observation', observation: observation(3) });
      assert.equal(r.seq, 3);
      const feed = await new FeedReader(db, 'CP').read(0, 10);
      assert.deepEqual(
        feed.map((f) => [f.seq, f.type]),
        [
          [1, 'customs.observation.v1'],
          [2, 'customs.device.status.v1'],
          [3, 'customs.observation.v1'],
        ],
      );
      assert.equal(JSON.parse(feed[2]!.json).seq, 3, 'the stored observation carries its seq');
      assert.deepEqual(
        (await new FeedReader(db, 'CP').read(1, 1)).map((f) => f.seq),
        [2],
      );
    });

    it('refuses writes beyond its queue limit, and after close', async () => {
      const small = new GroupCommitWriter(db, 'CP', { maxRows: 10, maxDelayMs: 50, queueLimit: 2 });
      await small.init();
      const ok = [small.write({ type: 'observation', observation: observation(1) }), small.write({ type: 'observation', observation: observation(2) })];
      await assert.rejects(small.write({ type: 'observation', observation: observation(3) }), /storage queue full/);
      await Promise.all(ok);
      await small.close();
      await assert.rejects(small.write({ type: 'observation', observation: observation(4) }), /writer is closed/);
    });
  });
}
