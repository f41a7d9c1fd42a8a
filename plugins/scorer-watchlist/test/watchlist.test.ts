import assert from 'node:assert/strict';
import { migrateDeclarationV1, type Declaration, type ScoringInput } from '@customs-hub/sdk';
import { scorer } from '../src/index.js';

const declaration: Declaration = migrateDeclarationV1({
  number: 'D-5',
  containers: ['CSQU3054383'],
  consignor: 'Acme Trading, L.L.C.',
  consignee: 'OOO Romashka',
  origin: 'XY',
  goods: [
    { hsCode: '240220', description: 'cigarettes' },
    { hsCode: '8471', description: 'laptops' },
  ],
});
function input(d: Declaration | null): ScoringInput {
  return {
    case: { schema: 'inspection-case/v1', id: 'c', checkpoint: 'CP', lane: 'L1', state: 'closed', openedAt: '2026-03-01T08:00:00Z', observationIds: [] },
    observations: [],
    declaration: d,
  };
}
const run = async (i: ScoringInput, config: object) =>
  scorer.create(config).score(i, { config, logger: console as never, signal: new AbortController().signal });

describe('watchlist scorer', () => {
  it('matches parties without case or punctuation, HS prefixes and origins, each with its score and note', async () => {
    const out = await run(input(declaration), {
      consignors: ['acme trading llc', 'Globex'],
      consignees: [{ value: 'romashka', score: 80, note: 'seized tobacco 2025' }],
      hsCodes: ['2402'],
      origins: ['xy'],
      score: 55,
    });
    assert.deepEqual(
      out.map((c) => [c.code, c.score]),
      [
        ['watchlist.consignors', 55],
        ['watchlist.consignees', 80],
        ['watchlist.hsCodes', 55],
        ['watchlist.origins', 55],
      ],
    );
    assert.equal(out[1]!.reason, 'Consignee "OOO Romashka" is on the consignees watchlist: seized tobacco 2025');
    assert.equal(out[2]!.reason, 'Declared cigarettes (HS 240220) is on the hsCodes watchlist');
  });

  it('says nothing without a declaration or a hit', async () => {
    assert.deepEqual(await run(input(null), { consignors: ['acme'] }), []);
    assert.deepEqual(await run(input(declaration), { consignors: ['globex'], hsCodes: ['9301'] }), []);
  });

  it('adds the lists the central system sent to the configured ones, saying which version a hit came from', async () => {
    const config = { hsCodes: ['9301'] };
    const watchlists = {
      version: 7,
      sha256: 'x'.repeat(64),
      lists: { hsCodes: [{ value: '8471', score: 70 }], consignees: [{ value: 'Romashka', note: 'intelligence 2026-11' }], other: [{ value: 'ignored' }] },
    };
    const out = await scorer.create(config).score(input(declaration), { config, logger: console as never, signal: new AbortController().signal, watchlists });
    assert.deepEqual(
      out.map((c) => [c.code, c.score]),
      [
        ['watchlist.consignees', 60],
        ['watchlist.hsCodes', 70],
      ],
    );
    assert.equal(out[0]!.reason, 'Consignee "OOO Romashka" is on the consignees watchlist: intelligence 2026-11 (central list v7)');
    assert.equal(out[1]!.reason, 'Declared laptops (HS 8471) is on the hsCodes watchlist: central list v7');
  });
});
