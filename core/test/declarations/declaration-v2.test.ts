import assert from 'node:assert/strict';
import { completeDeclaration, migrateDeclarationV1, type Declaration } from '@customs-hub/sdk';
import { DeclarationInvalidError } from '../../src/declarations/declaration-store.js';
import { caseFixture, type CaseFixture } from '../cases/case-fixture.js';

const V2 = {
  schema: 'declaration/v2',
  number: '2021-0001',
  date: '2021-01-04',
  direction: 'import',
  procedure: 'B',
  importType: '11',
  importUse: '21',
  paymentType: '11',
  office: '40',
  transportMode: '10',
  departureCountry: 'CN',
  destinationCountry: 'KR',
  parties: {
    declarant: { id: 'ZZR1LT6' },
    importer: { id: 'QLRUBN9', name: 'Han River Trading' },
    exporter: { id: '0VKY2BR', country: 'CN' },
    carrier: { name: 'KE Cargo' },
  },
  goods: [
    {
      hsCode: '420231',
      description: 'wallets',
      origin: 'CN',
      originIndicator: 'G',
      preference: 'A',
      taxRate: 8,
      netMassKg: 120.5,
      grossMassKg: 130,
      quantity: 400,
      unit: 'NAR',
      packages: 12,
      value: { amount: 372254.4, currency: 'KRW' },
    },
  ],
  transport: {
    containers: ['csqu 305438-3'],
    plates: ['a 123 bc'],
    airWaybills: ['176-12345675'],
    ulds: ['AKE 12345 KE'],
    vessel: { name: 'HMM Algeciras', imo: 'IMO 9863297', voyage: '012W' },
    flight: { number: 'KE 907', date: '2021-01-04' },
    bagTags: ['0180123456'],
  },
};

describe('Declaration v2', () => {
  let f: CaseFixture;
  before(async () => {
    f = await caseFixture('scoring:\n  policy: { randomRate: 0 }\n', []);
  });
  after(async () => {
    await f.close();
  });

  const problems = (body: unknown): string => {
    try {
      f.module.declarations.check(body);
    } catch (err) {
      if (err instanceof DeclarationInvalidError) return err.problems.join('; ');
      throw err;
    }
    return '';
  };

  it('takes a full v2 body with every transport identifier, normalized, and matches a conveyance on any of them', async () => {
    const { declaration } = await f.module.declarations.submit(V2);
    assert.deepEqual(declaration.transport, {
      containers: ['CSQU3054383'],
      plates: ['A123BC'],
      airWaybills: ['17612345675'],
      ulds: ['AKE12345KE'],
      bagTags: ['0180123456'],
      vessel: { name: 'HMM Algeciras', imo: '9863297', voyage: '012W' },
      flight: { number: 'KE907', date: '2021-01-04' },
    });
    assert.equal(declaration.parties.importer?.id, 'QLRUBN9');
    assert.equal(declaration.goods[0]!.value?.currency, 'KRW');
    for (const id of ['176-12345675', 'AKE12345KE', '0180123456', 'KE907', 'A123BC']) {
      assert.equal((await f.module.declarations.matchAny([[id]]))?.number, '2021-0001', id);
    }
    const row = await f.db.knex('declarations').where({ number: '2021-0001' }).first();
    assert.equal(row.declared_at, '2021-01-04', 'the declaration date is the time axis');
  });

  it('accepts a v2 declaration without any transport identifier, for pre-arrival assessment', async () => {
    const d = f.module.declarations.check({ schema: 'declaration/v2', number: 'PRE-1', goods: [{ hsCode: '851712' }] });
    assert.deepEqual(d.transport, { containers: [], plates: [], airWaybills: [], ulds: [], bagTags: [] });
    assert.deepEqual(d.parties, {});
  });

  it('names the field of each problem', () => {
    assert.match(problems({ ...V2, goods: [{ hsCode: '8471' }] }), /\/goods\/0\/hsCode: must match pattern/);
    assert.match(
      problems({ ...V2, transport: { airWaybills: ['176-12345676'] } }),
      /\/transport\/airWaybills\/0: '17612345676' fails the air waybill check digit \(expected 5\)/,
    );
    assert.match(
      problems({ ...V2, transport: { containers: ['CSQU3054384'] } }),
      /\/transport\/containers\/0: 'CSQU3054384' fails the ISO 6346 check digit \(expected 3\)/,
    );
    assert.match(problems({ ...V2, transport: { vessel: { imo: '9863298' } } }), /\/transport\/vessel\/imo: '9863298' fails the IMO check digit/);
    assert.match(problems({ ...V2, parties: { importer: {} } }), /\/parties\/importer: must NOT have fewer than 1 properties/);
    assert.match(problems({ ...V2, goods: [{ hsCode: '420231', value: { amount: 5 } }] }), /\/goods\/0\/value: must have required property 'currency'/);
    assert.match(problems({ ...V2, schema: 'declaration/v3' }), /\/schema: must be 'declaration\/v2'/);
    assert.match(
      problems({ number: 'X', containers: [], goods: [{ hsCode: '8471', description: 'x' }], parties: {} }),
      /'parties'.*a v2 body needs "schema": "declaration\/v2"/,
    );
  });

  it('migrates a v1 body: transport, parties by name, origin on every item', () => {
    const d = f.module.declarations.check({
      number: 'V1-1',
      containers: ['CSQU3054383'],
      plates: ['a123bc'],
      goods: [{ hsCode: '8471', description: 'laptops', grossMassKg: 900 }],
      consignor: 'Acme',
      consignee: 'Romashka',
      origin: 'CN',
      grossMassKg: 900,
    });
    const expected: Declaration = {
      schema: 'declaration/v2',
      number: 'V1-1',
      parties: { exporter: { name: 'Acme' }, importer: { name: 'Romashka' } },
      goods: [{ hsCode: '8471', description: 'laptops', origin: 'CN', grossMassKg: 900 }],
      grossMassKg: 900,
      transport: { containers: ['CSQU3054383'], plates: ['A123BC'], airWaybills: [], ulds: [], bagTags: [] },
    };
    assert.deepEqual(d, expected);
    assert.match(
      problems({ number: 'V1-2', containers: [], goods: [{ hsCode: '8471', description: 'x' }] }),
      /\/containers: a v1 declaration needs at least one container or plate/,
    );
  });

  it('reads a v1 body stored before the migration as v2', async () => {
    await f.db.knex('declarations').insert({
      number: 'OLD-1',
      checkpoint: 'CP1',
      received_at: '2026-01-01T00:00:00.000Z',
      declared_at: '2026-01-01T00:00:00.000Z',
      identifiers: ' CSQU3054383 ',
      body: JSON.stringify({ number: 'OLD-1', containers: ['CSQU3054383'], goods: [{ hsCode: '8471', description: 'x' }] }),
    });
    const d = await f.module.declarations.get('OLD-1');
    assert.equal(d?.schema, 'declaration/v2');
    assert.deepEqual(d?.transport.containers, ['CSQU3054383']);
    assert.deepEqual(migrateDeclarationV1({ number: 'a', containers: [], goods: [{ hsCode: '1234', description: 'x' }] }).transport.airWaybills, []);
    assert.equal(completeDeclaration({ schema: 'declaration/v2', number: 'b', goods: [{ hsCode: '123456' }] }).transport.bagTags.length, 0);
  });
});
