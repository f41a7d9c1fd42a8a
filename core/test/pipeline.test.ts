import assert from 'node:assert/strict';
import { ObservationRejectedError } from '@customs-hub/sdk';
import { openDatabase, type Database } from '../src/storage/database.js';
import { GroupCommitWriter } from '../src/storage/group-commit-writer.js';
import { DeadLetterStore } from '../src/pipeline/dead-letters.js';
import { ObservationPipeline, type EmitSource } from '../src/pipeline/observation-pipeline.js';
import { memoryLogger } from './helpers/hub-config.js';

const source: EmitSource = { deviceId: 'SCALE-1', lane: 'L1', plugin: { name: 'scale', version: '1.2.0' }, kinds: ['weight', 'identification'] };

describe('observation pipeline', () => {
  let db: Database;
  let pipeline: ObservationPipeline;
  let dead: DeadLetterStore;
  let lines: Array<Record<string, any>>;

  beforeEach(async () => {
    db = await openDatabase('sqlite::memory:');
    const writer = new GroupCommitWriter(db, 'CP', { maxRows: 100, maxDelayMs: 0, queueLimit: 100 });
    await writer.init();
    dead = new DeadLetterStore(db, 'CP');
    const log = memoryLogger();
    lines = log.lines;
    pipeline = new ObservationPipeline('CP', writer, dead, log.logger);
  });
  afterEach(() => db.close());

  it('stores a valid draft as a full observation with normalized identifiers', async () => {
    const r = await pipeline.emit(source, { kind: 'identification', conveyance: { containers: ['csqu 305438 3', 'CSQU3054384'] }, payload: { method: 'ocr' } });
    const row = await db.knex('observations').where({ id: r.id }).first();
    const obs = JSON.parse(row.body);
    assert.deepEqual(obs.conveyance.containers, [
      { number: 'CSQU3054383', valid: true, raw: 'csqu 305438 3' },
      { number: 'CSQU3054384', valid: false },
    ]);
    assert.equal(row.identifiers, ' CSQU3054383 CSQU3054384 ');
    assert.deepEqual([obs.checkpoint, obs.lane, obs.deviceId, obs.plugin.version, obs.seq], ['CP', 'L1', 'SCALE-1', '1.2.0', r.seq]);
  });

  it('rejects an invalid observation with the field named, dead-letters it and counts it', async () => {
    const err = await pipeline.emit(source, { kind: 'weight', payload: { grossKg: 'heavy', stable: true } as never }).catch((e) => e);
    assert.ok(err instanceof ObservationRejectedError);
    assert.match(err.reason, /\/payload\/grossKg: must be number/);
    const letters = await dead.list();
    assert.equal(letters.length, 1);
    assert.equal(letters[0]!.id, err.deadLetterId);
    assert.deepEqual([letters[0]!.deviceId, letters[0]!.plugin, (letters[0]!.draft as any).payload.grossKg], ['SCALE-1', 'scale', 'heavy']);
    assert.equal(pipeline.counters.get('SCALE-1')!.rejected, 1);
    assert.ok(lines.some((l) => l.msg === 'observation rejected' && l.device === 'SCALE-1' && /grossKg/.test(l.reason)));
  });

  it('rejects kinds the plugin did not declare, and malformed drafts', async () => {
    await assert.rejects(
      pipeline.emit(source, { kind: 'xray.scan', payload: { scanId: 'x', imageStatus: 'stored', findings: [] } }),
      /kind 'xray.scan' is not among the kinds plugin scale declares/,
    );
    await assert.rejects(
      pipeline.emit(source, { kind: 'weight', payload: { grossKg: 1, stable: true }, conveyance: { containers: [42 as never] } }),
      /malformed draft/,
    );
    assert.equal((await dead.list()).length, 2);
  });

  it('tells every subscriber each outcome, a stored reading apart from link telemetry, until it unsubscribes', async () => {
    const seen: string[][] = [];
    const other: string[] = [];
    const unsubscribe = pipeline.subscribe({ outcome: (d, k, o, reading) => seen.push([d, k, o, String(reading)]) });
    pipeline.subscribe({ outcome: (_d, _k, o) => other.push(o) });
    await pipeline.emit(source, { kind: 'weight', sourceId: 'w-1', payload: { grossKg: 1, stable: true } });
    await pipeline.emit(source, { kind: 'weight', sourceId: 'w-1', payload: { grossKg: 1, stable: true } });
    await pipeline.emit(source, { kind: 'weight', payload: { grossKg: 'x', stable: true } as never }).catch(() => undefined);
    unsubscribe();
    await pipeline.emit(source, { kind: 'weight', sourceId: 'w-2', payload: { grossKg: 2, stable: true } });
    assert.deepEqual(seen, [
      ['SCALE-1', 'weight', 'accepted', 'true'],
      ['SCALE-1', 'weight', 'duplicate', 'true'],
      ['SCALE-1', 'weight', 'rejected', 'false'],
    ]);
    assert.deepEqual(other, ['accepted', 'duplicate', 'rejected', 'accepted']);
  });
});
