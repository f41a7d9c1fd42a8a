import assert from 'node:assert/strict';
import Hapi from '@hapi/hapi';
import { registerApprovalRoutes } from '../../src/approvals/approval-routes.js';
import { registerCaseRoutes } from '../../src/cases/case-routes.js';
import { verifyAudit } from '../../src/audit/audit-verify.js';
import { caseFixture, fixedScorer, obs, type CaseFixture } from '../cases/case-fixture.js';
import { as, testAuth } from './people-auth.js';

const LANE = (fourEyes: boolean) => `scoring:
  correlation: { lanes: { L1: { expectedDevices: [ocr, scale] } } }
  policy: { thresholds: { yellow: 40, red: 70 }, randomRate: 0 }
security: { fourEyes: { releaseRed: ${fourEyes} } }
`;

async function setup(fourEyes: boolean, score: number): Promise<{ f: CaseFixture; server: Hapi.Server; id: string }> {
  const f = await caseFixture(LANE(fourEyes), [fixedScorer('alpha', score)]);
  const server = Hapi.server();
  testAuth(server);
  registerCaseRoutes(server, {
    cases: f.module.service,
    store: f.module.store,
    declarations: f.module.declarations,
    flagScore: 40,
    audit: f.module.audit,
    fourEyes: f.module.fourEyes,
  });
  registerApprovalRoutes(server, f.module.fourEyes);
  await server.initialize();
  await f.write(obs({ device: 'ocr', kind: 'identification', t: 0, containers: ['CSQU3054383'] }));
  await f.write(obs({ device: 'scale', t: 8 }));
  await f.module.service.idle();
  const [c] = await f.module.store.list({ limit: 1 });
  return { f, server, id: c!.id };
}

describe('four-eyes', () => {
  let f: CaseFixture | undefined;
  let server: Hapi.Server | undefined;
  afterEach(async () => {
    await server?.stop();
    await f?.close();
    f = undefined;
    server = undefined;
  });

  it('refuses a single-person release of a red case; a second supervisor approves it and the case is released', async () => {
    let id: string;
    ({ f, server, id } = await setup(true, 80));
    const outcome = await server.inject({
      method: 'POST',
      url: `/api/v1/cases/${id}/outcome`,
      headers: as('petrov', 'supervisor'),
      payload: { violation: false },
    });
    assert.equal(outcome.statusCode, 200);
    const body = JSON.parse(outcome.payload);
    assert.equal(body.case.state, 'inspected', 'a red case is not released by one person');
    assert.equal(body.approval.state, 'pending');
    assert.equal(body.approval.requestedBy.subject, 'petrov');
    const self = await server.inject({ method: 'POST', url: `/api/v1/approvals/${body.approval.id}/approve`, headers: as('petrov', 'supervisor') });
    assert.equal(self.statusCode, 403, 'the requester cannot approve their own request');
    assert.match(JSON.parse(self.payload).message, /petrov asked for this case.release and cannot approve it too/);
    const officer = await server.inject({ method: 'POST', url: `/api/v1/approvals/${body.approval.id}/approve`, headers: as('sidorov', 'officer') });
    assert.equal(officer.statusCode, 403, 'an officer is not a supervisor');
    assert.equal((await f.module.store.get(id))!.state, 'inspected', 'still not released');
    const again = await server.inject({ method: 'POST', url: `/api/v1/cases/${id}/release`, headers: as('petrov', 'officer') });
    assert.equal(again.statusCode, 202);
    assert.equal(JSON.parse(again.payload).approval.id, body.approval.id, 'the same pending request, not a second one');
    const ok = await server.inject({
      method: 'POST',
      url: `/api/v1/approvals/${body.approval.id}/approve`,
      headers: as('ivanova', 'supervisor'),
      payload: { note: 'seals checked' },
    });
    assert.equal(ok.statusCode, 200, ok.payload);
    assert.equal(JSON.parse(ok.payload).approval.decidedBy.subject, 'ivanova');
    assert.equal((await f.module.store.get(id))!.state, 'released');
    const twice = await server.inject({ method: 'POST', url: `/api/v1/approvals/${body.approval.id}/approve`, headers: as('kozlov', 'supervisor') });
    assert.equal(twice.statusCode, 409);
    const history = JSON.parse((await server.inject({ url: `/api/v1/cases/${id}/history`, headers: as('petrov', 'officer') })).payload);
    assert.deepEqual(
      history.entries.map((e: any) => `${e.action} ${e.actor.subject}`),
      ['case.referred policy default', 'case.outcome petrov', 'approval.requested petrov', 'approval.approved ivanova', 'case.released ivanova'],
    );
    assert.equal(history.approvals[0].state, 'approved');
    assert.equal((await verifyAudit(f.db, 'CP1')).ok, true);
  });

  it('a rejected release leaves the case detained', async () => {
    let id: string;
    ({ f, server, id } = await setup(true, 80));
    const body = JSON.parse((await server.inject({ method: 'POST', url: `/api/v1/cases/${id}/release`, headers: as('petrov', 'officer') })).payload);
    const no = await server.inject({
      method: 'POST',
      url: `/api/v1/approvals/${body.approval.id}/reject`,
      headers: as('ivanova', 'supervisor'),
      payload: { note: 'x-ray image unclear' },
    });
    assert.equal(JSON.parse(no.payload).approval.state, 'rejected');
    assert.equal((await f.module.store.get(id))!.state, 'referred');
    const pending = JSON.parse((await server.inject({ url: '/api/v1/approvals?state=pending', headers: as('petrov', 'officer') })).payload);
    assert.equal(pending.approvals.length, 0);
  });

  it('yellow cases, and red ones at a checkpoint that turned four-eyes off, are released by one officer', async () => {
    let id: string;
    ({ f, server, id } = await setup(true, 50));
    const yellow = JSON.parse(
      (await server.inject({ method: 'POST', url: `/api/v1/cases/${id}/outcome`, headers: as('petrov', 'officer'), payload: { violation: false } })).payload,
    );
    assert.equal(yellow.case.state, 'released');
    await server.stop();
    await f.close();
    ({ f, server, id } = await setup(false, 80));
    const red = JSON.parse(
      (await server.inject({ method: 'POST', url: `/api/v1/cases/${id}/outcome`, headers: as('petrov', 'officer'), payload: { violation: false } })).payload,
    );
    assert.equal(red.case.state, 'released');
    assert.equal(red.approval, undefined);
  });
});
