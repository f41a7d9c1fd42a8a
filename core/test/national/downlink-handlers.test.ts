import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { Knex } from 'knex';
import { AuditLog } from '../../src/audit/audit-log.js';
import { DeclarationStore } from '../../src/declarations/declaration-store.js';
import { migrateDeclarationV1, type InspectionCase, type ScorerPlugin } from '@customs-hub/sdk';
import type { CaseModule } from '../../src/cases/case-module.js';
import { centralActor, downlinkHandlers } from '../../src/national/start-downlink.js';
import { caseFixture } from '../cases/case-fixture.js';
import { serializeArtefact, type RiskModelArtefact } from '../../src/risk-model/artefact.js';
import { ModelStore } from '../../src/risk-model/model-store.js';
import { DeclarationRiskService } from '../../src/risk-model/risk-service.js';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { GroupCommitWriter } from '../../src/storage/group-commit-writer.js';
import { createLogger } from '../../src/util/logger.js';
import { CentralWatchlistStore } from '../../src/watchlists/central-watchlists.js';
import { storages } from '../helpers/storage.js';

const quiet = createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));

/** A structurally complete artefact; these tests store and switch models, they do not score with them. */
function artefact(seed: number): RiskModelArtefact {
  const ref = { edges: [0, 1], shares: [0.5, 0.5] };
  return {
    kind: 'declaration-risk',
    format: 1,
    features: ['importer.rate'],
    smoothing: 1,
    params: { trees: 1, learningRate: 0.1, maxLeaves: 2, minChildSamples: 1, maxBins: 2, seed } as never,
    gbdt: { base: 0, trees: [], bins: [] } as never,
    window: { from: '2020-01-01', until: '2020-12-31', rows: 100 + seed, violations: 10 },
    holdout: { from: '2021-01-01', until: '2021-03-31', metrics: { rows: 50, p5: 0.5, p10: 0.4, r10: 0.3, auc: 0.7 } as never, trainRows: 100 },
    trainingSeconds: 1,
    reference: { score: ref, features: { 'importer.rate': ref } },
  };
}
const modelMessage = (a: RiskModelArtefact) => {
  const { text, sha256 } = serializeArtefact(a);
  return { kind: 'declaration-risk-model', sha256, artefact: text, release: { version: '2026.12-1' } };
};

for (const s of storages()) {
  describe(`national downlink handlers: watchlists and released models (${s.name})`, () => {
    let db: Database;
    let writer: GroupCommitWriter;
    let applied: number;
    const record = async (trx: Knex.Transaction) => {
      applied++;
      await trx('outbox_state')
        .insert({ checkpoint: 'CP-W', target: 'downlink:test', acked_seq: applied, dropped: 0, updated_at: new Date().toISOString() })
        .onConflict(['checkpoint', 'target'])
        .merge();
    };
    let deps: { db: Database; declarations: DeclarationStore; audit: AuditLog; risk: DeclarationRiskService; watchlists: CentralWatchlistStore };

    beforeEach(async () => {
      db = await openDatabase(await s.url());
      writer = new GroupCommitWriter(db, 'CP-W', { maxRows: 100, maxDelayMs: 2, queueLimit: 1000 });
      await writer.init();
      applied = 0;
      deps = {
        db,
        declarations: new DeclarationStore(db, writer, 'CP-W'),
        audit: new AuditLog(db, writer, 'CP-W'),
        risk: new DeclarationRiskService(db, 'CP-W', quiet),
        watchlists: new CentralWatchlistStore(db, 'CP-W'),
      };
    });
    afterEach(async () => {
      await writer.close();
      await db.close();
      await s.cleanup();
    });

    it('applies a watchlist snapshot, keeps it across a restart, refuses an old version or a bad entry with the field', async () => {
      const h = downlinkHandlers('CP-W', deps, 'live');
      await h.watchlist!(
        {
          version: 3,
          issuedAt: '2026-12-01T08:00:00Z',
          lists: { consignees: ['Romashka', { value: 'Globex', score: 80, note: 'seizure 2026-10' }], hsCodes: ['2402'] },
        },
        record,
      );
      assert.equal(deps.watchlists.lists?.version, 3);
      assert.deepEqual(deps.watchlists.lists?.lists.consignees, [{ value: 'Romashka' }, { value: 'Globex', score: 80, note: 'seizure 2026-10' }]);
      await assert.rejects(h.watchlist!({ version: 3, lists: {} }, record), /version 3 is not newer than the applied version 3/);
      await assert.rejects(h.watchlist!({ version: 4, lists: { hsCodes: [{ value: '' }] } }, record), /\/lists\/hsCodes\/0/);
      await assert.rejects(h.watchlist!({ version: 4, entries: [] }, record), /must have required property 'lists'/);
      assert.equal(applied, 1, 'only the applied one recorded its downlink sequence');
      const again = new CentralWatchlistStore(db, 'CP-W');
      assert.deepEqual(await again.load(), deps.watchlists.lists, 'read back after a restart');
      const entries = await deps.audit.list({ action: 'watchlist.received', limit: 10 });
      assert.equal(entries.length, 1);
      assert.equal(entries[0]!.actor.subject, 'central');
      assert.deepEqual((entries[0]!.after as { entries: unknown }).entries, { consignees: 2, hsCodes: 1 });
    });

    it('makes a released model live (retiring the live one), audited as the central release; refuses a tampered one', async () => {
      const store = new ModelStore(db, 'CP-W');
      const local = await store.save(artefact(1));
      await store.promote(local.id);
      const h = downlinkHandlers('CP-W', deps, 'live');
      const m = modelMessage(artefact(2));
      await h.model!(m, record);
      assert.equal(deps.risk.models.live?.sha256, m.sha256, 'the risk service runs the released model');
      assert.equal((await store.get(local.id)).status, 'retired');
      const actions = (await deps.audit.list({ objectType: 'model', limit: 10 })).map((e) => [e.action, e.actor.subject]);
      assert.deepEqual(actions, [
        ['model.received', 'central'],
        ['model.promoted', 'central'],
      ]);
      await h.model!(m, record); // a resend changes nothing
      assert.equal((await store.list()).length, 2);
      const tampered = { ...modelMessage(artefact(3)), sha256: m.sha256 };
      await assert.rejects(h.model!(tampered, record), /model artefact damaged: sha256 [0-9a-f]+ is not the recorded/);
      await assert.rejects(h.model!({ kind: 'declaration-risk-model', sha256: 'abc', artefact: '{}' }, record), /\/sha256 must be 64 lowercase hex digits/);
      assert.equal((await store.list()).length, 2, 'nothing stored from a refused message');
    });

    it('keeps a released model in shadow when the checkpoint promotes models itself', async () => {
      const h = downlinkHandlers('CP-W', deps, 'shadow');
      const m = modelMessage(artefact(4));
      await h.model!(m, record);
      assert.equal(deps.risk.models.live, null);
      assert.equal(deps.risk.models.shadow?.sha256, m.sha256);
      assert.deepEqual(
        (await deps.audit.list({ objectType: 'model', limit: 10 })).map((e) => e.action),
        ['model.received'],
      );
    });
  });
}

describe('central watchlists reach the scorers of a case', () => {
  it('scores a case with the lists the centre sent, after a restart too', async () => {
    const watchlist = (require('@customs-hub/scorer-watchlist') as { scorer: ScorerPlugin }).scorer;
    const f = await caseFixture('scoring:\n  scorers:\n    - { name: watchlist, config: { consignees: [] } }\n', [watchlist]);
    try {
      const d = migrateDeclarationV1({
        number: 'W-1',
        containers: ['CSQU3054383'],
        consignee: 'OOO Romashka',
        goods: [{ hsCode: '240220', description: 'cigarettes' }],
      });
      const c: InspectionCase = {
        schema: 'inspection-case/v1',
        id: '0190a000-0000-7000-8000-0000000000a1',
        checkpoint: 'CP1',
        lane: 'L1',
        state: 'closed',
        openedAt: '2026-03-01T08:00:00Z',
        observationIds: [],
      };
      const codes = async (m: CaseModule) => (await m.stage.score({ case: c, observations: [], declaration: d })).contributions.map((x) => x.code);
      assert.deepEqual(await codes(f.module), []);
      await f.module.watchlists.apply({ version: 1, lists: { consignees: ['romashka'] } }, f.module.audit, centralActor('CP1'));
      assert.deepEqual(await codes(f.module), ['watchlist.consignees']);
      const again = await f.restart([watchlist]);
      await again.watchlists.load();
      assert.deepEqual(await codes(again), ['watchlist.consignees'], 'from the local copy after a restart');
      await again.stop();
    } finally {
      await f.close();
    }
  });
});
