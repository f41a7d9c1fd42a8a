import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importDeclarations } from '../../src/declarations/import/import-declarations.js';
import { loadMapping, MappingError } from '../../src/declarations/import/mapping.js';
import { readBody } from '../../src/declarations/declaration-store.js';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { mapping, SUBSET } from '../risk-model/risk-fixture.js';

const HEADER =
  'Declaration ID,Date,Office ID,Process Type,Import Type,Import Use,Payment Type,Mode of Transport,Declarant ID,Importer ID,Seller ID,Courier ID,HS6 Code,Country of Departure,Country of Origin,Tax Rate,Tax Type,Country of Origin Indicator,Net Mass,Item Price,Fraud,Critical Fraud';
const row = (id: string, extra: Partial<Record<'hs' | 'mass' | 'fraud' | 'critical' | 'date', string>> = {}) =>
  `${id},${extra.date ?? '2020-01-02'},30,B,11,21,11,10,ZZR1LT6,QLRUBN9,0VKY2BR,,${extra.hs ?? '440890'},BE,BE,0.0,FEU1,G,${extra.mass ?? '108.0'},372254.4,${extra.fraud ?? '0'},${extra.critical ?? '0'}`;

describe('declarations import', () => {
  let dir: string;
  let db: Database;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'import-'));
    db = await openDatabase(`sqlite:${join(dir, 'hub.db')}`);
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports each bad line with its number and reason, and imports the rest', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(
      file,
      [
        HEADER,
        row('1'),
        row('2', { hs: '44x890' }),
        '3,2020-01-02,only,three',
        row('4', { mass: 'heavy' }),
        row('5', { fraud: '1', critical: '2' }),
        '"6,unterminated',
        '',
      ].join('\n'),
    );
    const s = await importDeclarations([file], { db, checkpoint: 'CP', mapping: mapping() });
    assert.equal(s.imported, 2);
    assert.equal(s.outcomes, 2);
    assert.equal(s.rejected, 4);
    assert.deepEqual(
      s.rejections.map((r) => r.line),
      [3, 4, 5, 7],
    );
    assert.match(s.rejections[0]!.reason, /\/goods\/0\/hsCode: must match pattern/);
    assert.match(s.rejections[1]!.reason, /4 cells, the header has 22/);
    assert.match(s.rejections[2]!.reason, /column 'Net Mass' \(goods\.0\.netMassKg\): 'heavy' is not a number/);
    assert.match(s.rejections[3]!.reason, /unterminated quoted cell/);
    const five = await db.knex('declaration_outcomes').where({ number: '5' }).first();
    assert.equal(Boolean(five.violation), true);
    assert.equal(five.severity, 2);
    assert.equal(five.recorded_at, '2020-01-03T00:00:00.000Z', 'known the day after the declaration (knownAfterDays: 1)');
  });

  it('rejects a row whose date is no calendar day, and stores nothing of it (found by the fuzz suite)', async () => {
    const file = join(dir, 'dates.csv');
    writeFileSync(file, [HEADER, row('1', { date: '2020-16-17', fraud: '1' }), row('2', { date: '2021-02-29' }), row('3', { date: '2020-02-29' })].join('\n'));
    const s = await importDeclarations([file], { db, checkpoint: 'CP', mapping: mapping() });
    assert.deepEqual(
      s.rejections.map((r) => [r.line, r.reason]),
      [
        [2, "/date: '2020-16-17' is not a calendar date and time"],
        [3, "/date: '2021-02-29' is not a calendar date and time"],
      ],
    );
    assert.equal(s.imported, 1);
    assert.deepEqual(
      (await db.knex('declarations').select('number')).map((r) => r.number),
      ['3'],
    );
    assert.equal((await db.knex('declaration_outcomes').count({ n: '*' }).first())!.n, 1);
  });

  it('maps the public dataset onto Declaration v2, idempotent by number', async () => {
    const first = await importDeclarations([SUBSET], { db, checkpoint: 'CP', mapping: mapping() });
    assert.equal(first.rejected, 0);
    assert.equal(first.imported, 2493);
    const again = await importDeclarations([SUBSET], { db, checkpoint: 'CP', mapping: mapping() });
    assert.equal(again.imported, 2493);
    assert.equal(Number((await db.knex('declarations').count({ n: '*' }).first())!.n), 2493, 'a second import replaces, never duplicates');
    assert.equal(Number((await db.knex('declaration_outcomes').count({ n: '*' }).first())!.n), 2493);
    const d = readBody((await db.knex('declarations').where({ number: '97061800' }).first()).body);
    assert.deepEqual(
      {
        date: d.date,
        importer: d.parties.importer,
        hs: d.goods[0]!.hsCode,
        value: d.goods[0]!.value,
        mass: d.goods[0]!.netMassKg,
        origin: d.goods[0]!.origin,
        transport: d.transport.containers.length,
      },
      { date: '2020-01-01', importer: { id: 'QLRUBN9' }, hs: '440890', value: { amount: 372254.4, currency: 'KRW' }, mass: 108, origin: 'BE', transport: 0 },
    );
  });

  it('takes JSON lines of declarations with outcomes, and refuses a bad mapping naming the key', async () => {
    const file = join(dir, 'x.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({
          declaration: { schema: 'declaration/v2', number: 'J1', date: '2021-02-01', goods: [{ hsCode: '851712' }] },
          outcome: { violation: true, recordedAt: '2021-02-03T10:00:00Z' },
        }),
        JSON.stringify({ number: 'J2', containers: ['CSQU3054383'], goods: [{ hsCode: '8471', description: 'laptops' }] }),
        '{not json',
      ].join('\n'),
    );
    const s = await importDeclarations([file], { db, checkpoint: 'CP', mapping: null });
    assert.deepEqual([s.imported, s.outcomes, s.rejected, s.rejections[0]!.line], [2, 1, 1, 3]);
    assert.equal((await db.knex('declaration_outcomes').where({ number: 'J1' }).first()).recorded_at, '2021-02-03T10:00:00.000Z');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'fields: { date: Date }\n');
    assert.throws(
      () => loadMapping(bad),
      (e: Error) => e instanceof MappingError && /must map 'number'/.test(e.message),
    );
    writeFileSync(bad, 'fields: { number: ID }\noutcome: { violation: { column: Fraud } }\n');
    assert.throws(() => loadMapping(bad), /\/outcome\/violation: must have required property 'true'/);
  });
});
