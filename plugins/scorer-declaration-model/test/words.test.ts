import assert from 'node:assert/strict';
import type { DeclarationRiskAssessment } from '@customs-hub/sdk';
import { factorWords, modelContributions, scorer } from '../src/index.js';

const assessment: DeclarationRiskAssessment = {
  model: { id: 'm-0123456789ab', trainedUntil: '2020-12-31', status: 'live' },
  probability: 0.873,
  item: 0,
  factors: [
    { feature: 'importer', logOdds: 1.2, about: 'importer', subject: 'Y3OM027', facts: { n: 20, violations: 14, critical: 1, seen: 25 } },
    {
      feature: 'unitValue',
      logOdds: 0.8,
      about: 'value per kg',
      subject: '420231',
      facts: { unitValue: 2.1, median: 52.5, rank: 0.03, n: 140, currency: 'KRW', hsCode: '420231' },
    },
    { feature: 'importer+hs6', logOdds: 0.3, about: 'importer with HS', subject: 'Y3OM027|420231', facts: { n: 0, violations: 0, critical: 0, seen: 3 } },
    { feature: 'declarant', logOdds: -0.4, about: 'declarant', subject: 'PF1L1IG', facts: { n: 1, violations: 0, critical: 0, seen: 40 } },
    { feature: 'seller', logOdds: 0.01, about: 'seller', subject: 'S', facts: { n: 0, violations: 0, critical: 0, seen: 0 } },
  ],
};

describe('scorer-declaration-model: explanations in words', () => {
  it('says what the history and the value show', () => {
    assert.equal(factorWords(assessment.factors[0]!), 'importer Y3OM027: 14 of 20 past inspections found a violation (1 critical)');
    assert.equal(factorWords(assessment.factors[1]!), 'value 2.1 KRW/kg, 96 % below the usual for HS 420231 (median of 140 earlier declarations: 52.5)');
    assert.equal(factorWords(assessment.factors[2]!), 'importer Y3OM027 with HS 420231: declared 3 times before, never inspected');
    assert.equal(factorWords(assessment.factors[3]!), 'declarant PF1L1IG: 0 of 1 past inspection found a violation');
    assert.equal(factorWords(assessment.factors[4]!), 'seller S: never seen before');
  });

  it('gives the risk with the model version, then the strongest factors without adding to the score', () => {
    const out = modelContributions(assessment, 'D-1', {});
    assert.equal(out[0]!.code, 'declaration-model.risk');
    assert.equal(out[0]!.score, 87.3);
    assert.match(out[0]!.reason, /^Learned risk 87.3 % for declaration D-1 \(model m-0123456789ab, outcomes to 2020-12-31\): importer Y3OM027: 14 of 20/);
    assert.deepEqual(out[0]!.evidence.values!.model, { id: 'm-0123456789ab', trainedUntil: '2020-12-31', status: 'live' });
    assert.deepEqual(
      out.slice(1).map((c) => c.code),
      [
        'declaration-model.factor.importer',
        'declaration-model.factor.unitValue',
        'declaration-model.factor.declarant',
        'declaration-model.factor.importer+hs6',
      ],
      'strongest first, tiny ones left out',
    );
    assert.ok(out.slice(1).every((c) => c.score === 0));
    assert.match(out[3]!.reason, /^lowers the risk: declarant PF1L1IG/);
  });

  it('gives nothing without a live model or a declaration', async () => {
    const s = scorer.create({});
    const ctx = { config: {}, logger: console as never, signal: new AbortController().signal };
    assert.deepEqual(
      await s.scoreDeclaration!(
        {
          schema: 'declaration/v2',
          number: 'x',
          parties: {},
          goods: [{ hsCode: '123456' }],
          transport: { containers: [], plates: [], airWaybills: [], ulds: [], bagTags: [] },
        },
        ctx,
      ),
      [],
    );
    assert.deepEqual(
      await s.score(
        {
          case: { schema: 'inspection-case/v1', id: 'c', checkpoint: 'CP', lane: 'L', state: 'closed', openedAt: '2026-01-01T00:00:00Z', observationIds: [] },
          observations: [],
          declaration: null,
        },
        { ...ctx, declarationRisk: { assess: async () => assessment } },
      ),
      [],
    );
  });
});
