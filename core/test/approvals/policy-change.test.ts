import assert from 'node:assert/strict';
import Hapi from '@hapi/hapi';
import { registerApprovalRoutes } from '../../src/approvals/approval-routes.js';
import { verifyAudit } from '../../src/audit/audit-verify.js';
import type { InspectionCase } from '@customs-hub/sdk';
import { registerPolicyRoutes } from '../../src/scoring/policy-routes.js';
import { caseFixture, fixedScorer, type CaseFixture } from '../cases/case-fixture.js';
import { as, testAuth } from './people-auth.js';

const SCORING = (fourEyes: boolean) => `scoring:
  policy: { thresholds: { yellow: 40, red: 70 }, randomRate: 0, randomSecret: s3cret }
security: { fourEyes: { scoringPolicy: ${fourEyes} } }
`;
const CASE: InspectionCase = {
  schema: 'inspection-case/v1',
  id: '0190a000-0000-7000-8000-0000000000b1',
  checkpoint: 'CP1',
  lane: 'L1',
  state: 'closed',
  openedAt: '2026-03-01T08:00:00Z',
  observationIds: [],
};

async function setup(fourEyes: boolean): Promise<{ f: CaseFixture; server: Hapi.Server }> {
  const f = await caseFixture(SCORING(fourEyes), [fixedScorer('alpha', 50)]);
  const server = Hapi.server();
  testAuth(server);
  registerPolicyRoutes(server, f.module.stage, f.module.policies);
  registerApprovalRoutes(server, f.module.fourEyes);
  await server.initialize();
  return { f, server };
}

describe('four-eyes on changing the live scoring policy', () => {
  let f: CaseFixture | undefined;
  let server: Hapi.Server | undefined;
  afterEach(async () => {
    await server?.stop();
    await f?.close();
    f = undefined;
    server = undefined;
  });

  it('decides by a new policy only once a second supervisor approved it, after a restart too; the secret stays', async () => {
    ({ f, server } = await setup(true));
    const channel = async (m = f!.module) => (await m.stage.score({ case: CASE, observations: [], declaration: null })).channel;
    assert.equal(await channel(), 'yellow');
    const shown = JSON.parse((await server.inject({ url: '/api/v1/scoring/policy', headers: as('sidorov', 'officer') })).payload).policy;
    assert.equal(shown.thresholds.red, 70);
    assert.equal('randomSecret' in shown, false, 'the secret is never shown');
    const officer = await server.inject({ method: 'PUT', url: '/api/v1/scoring/policy', headers: as('sidorov', 'officer'), payload: { name: 'strict' } });
    assert.equal(officer.statusCode, 403);
    const secret = await server.inject({
      method: 'PUT',
      url: '/api/v1/scoring/policy',
      headers: as('petrov', 'supervisor'),
      payload: { name: 'x', randomSecret: 'mine' },
    });
    assert.equal(secret.statusCode, 400);
    const upside = await server.inject({
      method: 'PUT',
      url: '/api/v1/scoring/policy',
      headers: as('petrov', 'supervisor'),
      payload: { name: 'x', thresholds: { yellow: 80, red: 60 } },
    });
    assert.match(JSON.parse(upside.payload).message, /yellow 80 is above red 60/);
    const asked = await server.inject({
      method: 'PUT',
      url: '/api/v1/scoring/policy',
      headers: as('petrov', 'supervisor'),
      payload: { name: 'strict', thresholds: { yellow: 30, red: 45 }, randomRate: 0 },
    });
    assert.equal(asked.statusCode, 202, asked.payload);
    const approval = JSON.parse(asked.payload).approval;
    assert.equal(await channel(), 'yellow', "not on one person's word");
    assert.equal(
      (await server.inject({ method: 'POST', url: `/api/v1/approvals/${approval.id}/approve`, headers: as('petrov', 'supervisor') })).statusCode,
      403,
    );
    const ok = await server.inject({ method: 'POST', url: `/api/v1/approvals/${approval.id}/approve`, headers: as('ivanova', 'supervisor') });
    assert.equal(ok.statusCode, 200, ok.payload);
    assert.equal(await channel(), 'red');
    assert.equal(f.module.stage.policy.randomSecret, 's3cret', "the secret stays the config's");
    const again = await f.restart([fixedScorer('alpha', 50)]);
    await again.policies.load();
    assert.equal(await channel(again), 'red', 'the approved policy after a restart');
    await again.stop();
    const actions = (await f.module.audit.list({ objectType: 'scoring-policy', limit: 10 })).map((e) => `${e.action} ${e.actor.subject}`);
    assert.deepEqual(actions, ['approval.requested petrov', 'approval.approved ivanova', 'scoring.policy-changed ivanova']);
    assert.equal((await verifyAudit(f.db, 'CP1')).ok, true);
  });

  it('changes at once, audited, where the checkpoint turned four-eyes off for the policy', async () => {
    ({ f, server } = await setup(false));
    const r = await server.inject({
      method: 'PUT',
      url: '/api/v1/scoring/policy',
      headers: as('petrov', 'supervisor'),
      payload: { name: 'strict', thresholds: { yellow: 30, red: 45 } },
    });
    assert.equal(r.statusCode, 200, r.payload);
    assert.equal(JSON.parse(r.payload).policy.name, 'strict');
    assert.deepEqual(
      (await f.module.audit.list({ objectType: 'scoring-policy', limit: 10 })).map((e) => e.action),
      ['scoring.policy-changed'],
    );
  });
});
