import assert from 'node:assert/strict';
import Hapi from '@hapi/hapi';
import { registerApprovalRoutes } from '../../src/approvals/approval-routes.js';
import { verifyAudit } from '../../src/audit/audit-verify.js';
import type { RiskModelArtefact } from '../../src/risk-model/artefact.js';
import { registerModelRoutes } from '../../src/risk-model/model-routes.js';
import { caseFixture, type CaseFixture } from '../cases/case-fixture.js';
import { as, testAuth } from './people-auth.js';

/** A structurally complete artefact: these tests move models between states, they do not score with them. */
function artefact(seed: number): RiskModelArtefact {
  const ref = { edges: [0, 1], shares: [0.5, 0.5] };
  return {
    kind: 'declaration-risk',
    format: 1,
    features: ['importer.rate'],
    smoothing: 1,
    params: { seed } as never,
    gbdt: { trees: [] } as never,
    window: { from: '2020-01-01', until: '2020-12-31', rows: 100, violations: 10 },
    holdout: { from: '2021-01-01', until: '2021-03-31', metrics: {} as never, trainRows: 100 },
    trainingSeconds: 1,
    reference: { score: ref, features: { 'importer.rate': ref } },
  };
}

async function setup(fourEyes: boolean): Promise<{ f: CaseFixture; server: Hapi.Server; ids: string[] }> {
  const f = await caseFixture(`security: { fourEyes: { promoteModel: ${fourEyes} } }\n`, []);
  const server = Hapi.server();
  testAuth(server);
  registerModelRoutes(server, f.module.models, f.module.promotion);
  registerApprovalRoutes(server, f.module.fourEyes);
  await server.initialize();
  const ids: string[] = [];
  for (const seed of [1, 2]) ids.push((await f.module.models.save(artefact(seed))).id);
  return { f, server, ids };
}

describe('four-eyes on promoting a declaration-risk model', () => {
  let f: CaseFixture | undefined;
  let server: Hapi.Server | undefined;
  afterEach(async () => {
    await server?.stop();
    await f?.close();
    f = undefined;
    server = undefined;
  });

  it("files a supervisor's promotion as a request; a second supervisor approves and the running hub scores with it", async () => {
    let ids: string[];
    ({ f, server, ids } = await setup(true));
    const officer = await server.inject({ method: 'POST', url: `/api/v1/models/${ids[0]}/promote`, headers: as('sidorov', 'officer') });
    assert.equal(officer.statusCode, 403, 'an officer cannot ask for it');
    const asked = await server.inject({
      method: 'POST',
      url: `/api/v1/models/${ids[0]}/promote`,
      headers: as('petrov', 'supervisor'),
      payload: { reason: 'better holdout' },
    });
    assert.equal(asked.statusCode, 202, asked.payload);
    const approval = JSON.parse(asked.payload).approval;
    assert.equal(f.module.risk.models.live?.id, undefined, "not live on one person's word");
    const self = await server.inject({ method: 'POST', url: `/api/v1/approvals/${approval.id}/approve`, headers: as('petrov', 'supervisor') });
    assert.equal(self.statusCode, 403);
    const ok = await server.inject({ method: 'POST', url: `/api/v1/approvals/${approval.id}/approve`, headers: as('ivanova', 'supervisor') });
    assert.equal(ok.statusCode, 200, ok.payload);
    assert.equal(f.module.risk.models.live?.id, ids[0], 'the running hub reads its models again');
    const listed = JSON.parse((await server.inject({ url: '/api/v1/models', headers: as('sidorov', 'officer') })).payload).models;
    assert.deepEqual(
      listed.map((m: { id: string; status: string }) => [m.id, m.status]).sort(),
      [
        [ids[0], 'live'],
        [ids[1], 'shadow'],
      ].sort(),
    );
    const again = await server.inject({ method: 'POST', url: `/api/v1/models/${ids[0]}/promote`, headers: as('petrov', 'supervisor') });
    assert.equal(again.statusCode, 409);
    const missing = await server.inject({ method: 'POST', url: '/api/v1/models/m-0000deadbeef/promote', headers: as('petrov', 'supervisor') });
    assert.equal(missing.statusCode, 404);
    const actions = (await f.module.audit.list({ objectType: 'model', limit: 10 })).map((e) => `${e.action} ${e.actor.subject}`);
    assert.deepEqual(actions, ['approval.requested petrov', 'approval.approved ivanova', 'model.promoted ivanova']);
    assert.equal((await verifyAudit(f.db, 'CP1')).ok, true);
  });

  it('promotes at once, audited, where the checkpoint turned four-eyes off for models', async () => {
    let ids: string[];
    ({ f, server, ids } = await setup(false));
    const r = await server.inject({ method: 'POST', url: `/api/v1/models/${ids[1]}/promote`, headers: as('petrov', 'supervisor') });
    assert.equal(r.statusCode, 200, r.payload);
    assert.deepEqual(JSON.parse(r.payload), { promoted: ids[1] });
    assert.equal(f.module.risk.models.live?.id, ids[1]);
    assert.deepEqual(
      (await f.module.audit.list({ objectType: 'model', limit: 10 })).map((e) => e.action),
      ['model.promoted'],
    );
  });
});
