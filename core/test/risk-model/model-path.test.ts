import assert from 'node:assert/strict';
import type { CaseRisk, Declaration, InspectionCase, ScorerPlugin } from '@customs-hub/sdk';
import { importDeclarations } from '../../src/declarations/import/import-declarations.js';
import { predictRaw } from '../../src/risk-model/gbdt.js';
import { ModelStore } from '../../src/risk-model/model-store.js';
import { loadLabelled, trainModel, TRAINING_PARAMS } from '../../src/risk-model/train-model.js';
import { outcomesReport } from '../../src/scoring/outcomes-report.js';
import { caseFixture, type CaseFixture } from '../cases/case-fixture.js';
import { storages } from '../helpers/storage.js';
import { mapping, QUICK, SUBSET } from './risk-fixture.js';

const declarationModel = (require('@customs-hub/scorer-declaration-model') as { scorer: ScorerPlugin }).scorer;

const LATER: Declaration = {
  schema: 'declaration/v2',
  number: 'NOV-1',
  date: '2020-11-20',
  office: '40',
  procedure: 'B',
  importType: '11',
  importUse: '21',
  paymentType: '11',
  transportMode: '10',
  parties: { declarant: { id: 'PF1L1IG' }, importer: { id: 'QLRUBN9' }, exporter: { id: '0VKY2BR' } },
  goods: [{ hsCode: '392690', origin: 'CN', taxRate: 6.5, preference: 'C', originIndicator: 'Y', netMassKg: 5000, value: { amount: 900, currency: 'KRW' } }],
  transport: { containers: ['CSQU3054383'], plates: [], airWaybills: [], ulds: [], bagTags: [] },
};

for (const storage of storages()) {
  describe(`learned declaration model, whole path on ${storage.name}`, function () {
    this.timeout(120_000);
    let f: CaseFixture;
    let store: ModelStore;
    before(async () => {
      f = await caseFixture('scoring:\n  policy: { randomRate: 0 }\n', [declarationModel], await storage.url());
      const s = await importDeclarations([SUBSET], { db: f.db, checkpoint: 'CP1', mapping: mapping() });
      assert.equal(s.rejected, 0);
      store = new ModelStore(f.db, 'CP1');
    });
    after(async () => {
      await f.close();
      await storage.cleanup();
    });

    let first = '';
    it('trains on the outcomes up to a day, stores the artefact in shadow, and reads it back the same', async () => {
      const labelled = await loadLabelled(f.db, 'CP1', '2020-10-31');
      assert.ok(labelled.every((l) => l.record.day <= '2020-10-31'));
      const artefact = await trainModel(labelled, { ...TRAINING_PARAMS, ...QUICK });
      assert.equal(artefact.window.until, '2020-10-31');
      assert.ok(artefact.holdout.from > artefact.window.from && artefact.holdout.metrics.rows > 100, 'a later holdout');
      // One row in 15 keeps little history per trader: a weak model, but better than chance.
      assert.ok(artefact.holdout.metrics.auc > 0.52, `holdout auc ${artefact.holdout.metrics.auc}`);
      const m = await store.save(artefact);
      first = m.id;
      assert.equal(m.status, 'shadow');
      assert.match(m.sha256, /^[0-9a-f]{64}$/);
      const back = await store.get(m.id.slice(0, 8));
      assert.deepEqual(back.artefact, JSON.parse(JSON.stringify(artefact)));
      const row = new Float64Array(artefact.features.length).map((_, i) => (i % 3 === 0 ? Number.NaN : i / 10));
      assert.equal(predictRaw(back.artefact.gbdt, row), predictRaw(artefact.gbdt, row));
      assert.equal((await store.save(artefact)).id, m.id, 'the same artefact is stored once');
      await f.db
        .knex('risk_models')
        .where({ id: m.id })
        .update({ artefact: JSON.stringify({ ...artefact, smoothing: 99 }) });
      await assert.rejects(store.get(m.id), /model artefact damaged/);
      await f.db
        .knex('risk_models')
        .where({ id: m.id })
        .update({ artefact: JSON.stringify(artefact) });
    });

    it('a promoted model scores a declaration alone, with its version and reasons in words', async () => {
      await store.promote(first);
      await f.module.risk.reload();
      const out = await f.module.stage.scoreDeclaration(LATER);
      const main = out.contributions.find((c) => c.code === 'declaration-model.risk')!;
      assert.ok(main, JSON.stringify(out));
      assert.equal((main.evidence.values!.model as { id: string }).id, first);
      assert.equal(out.score, main.score);
      const reasons = out.contributions.map((c) => c.reason).join('\n');
      assert.match(
        reasons,
        /(importer|declarant|seller|HS)[^:]*: (\d+ of \d+ past inspections? found a violation|declared \d+ times? before, never inspected|never seen before)/,
      );
      assert.match(reasons, /value [\d.,]+ KRW\/kg, \d+ % (below|above) the usual for HS 392690 \(median of \d+ earlier declarations/);
      assert.ok(out.contributions.slice(1).every((c) => c.score === 0 && /^(raises|lowers) the risk: /.test(c.reason)));
    });

    it('a newer model runs in shadow: its channel is recorded, the live model decides', async () => {
      const labelled = await loadLabelled(f.db, 'CP1', '2020-11-30');
      const second = await store.save(await trainModel(labelled, { ...TRAINING_PARAMS, ...QUICK, seed: 7 }));
      assert.notEqual(second.id, first);
      await f.module.risk.reload();
      assert.deepEqual([f.module.risk.models.live?.id, f.module.risk.models.shadow?.id], [first, second.id]);
      const c: InspectionCase = {
        schema: 'inspection-case/v1',
        id: '0190a000-0000-7000-8000-000000000001',
        checkpoint: 'CP1',
        lane: 'L1',
        state: 'closed',
        openedAt: '2020-11-20T08:00:00Z',
        observationIds: [],
        declarationNumber: 'NOV-1',
      };
      const risk: CaseRisk = await f.module.stage.score({ case: c, observations: [], declaration: LATER });
      const liveModel = risk.contributions.find((x) => x.code === 'declaration-model.risk')!;
      assert.equal((liveModel.evidence.values!.model as { id: string }).id, first);
      const shadowModel = risk.shadow.contributions.find((x) => x.code === 'declaration-model.risk')!;
      assert.equal(shadowModel.scorer, 'declaration-model (shadow model)');
      assert.equal((shadowModel.evidence.values!.model as { id: string }).id, second.id);
      const policy = risk.shadow.policies.find((p) => p.policy === `default with shadow model ${second.id}`)!;
      assert.ok(policy, JSON.stringify(risk.shadow.policies));
      assert.equal(policy.score, shadowModel.score, 'the shadow policy decides on the shadow model alone');
      assert.equal(risk.score, liveModel.score, "the live decision is the live model's");
      const report = outcomesReport([{ ...c, risk, channel: risk.channel, outcome: { violation: true, recordedAt: '2020-11-21T00:00:00Z' } }], 40);
      assert.ok(
        report.policies.some((p) => p.mode === 'shadow' && p.name === policy.policy),
        'compared in report outcomes',
      );
      await store.promote(second.id);
      await f.module.risk.reload();
      assert.deepEqual([f.module.risk.models.live?.id, f.module.risk.models.shadow], [second.id, null]);
      assert.equal((await store.get(first)).status, 'retired');
    });
  });
}
