import assert from 'node:assert/strict';
import Boom from '@hapi/boom';
import Hapi from '@hapi/hapi';
import { registerCaseRoutes } from '../../src/cases/case-routes.js';
import { caseFixture, fixedScorer, obs, type CaseFixture } from './case-fixture.js';

/** A tiny bearer scheme for these tests: "Bearer <scope>,<scope>" grants those scopes. */
function testAuth(server: Hapi.Server): void {
  server.auth.scheme('test-bearer', () => ({
    authenticate: (req, h) => {
      const m = /^Bearer (.*)$/.exec(String(req.headers.authorization ?? ''));
      if (!m) throw Boom.unauthorized('token required', 'Bearer');
      return h.authenticated({ credentials: { tokenId: 't1', name: 'officer-petrov', scope: m[1]!.split(',') } });
    },
  }));
  server.auth.strategy('test', 'test-bearer');
  server.auth.default('test');
}

const LANE = `scoring:
  correlation: { lanes: { L1: { expectedDevices: [ocr, scale] } } }
  policy: { randomRate: 0 }
`;
const as = (...scopes: string[]) => ({ authorization: `Bearer ${scopes.join(',')}` });
const DECLARATION = {
  number: 'D-77',
  containers: ['CSQU3054383'],
  goods: [{ hsCode: '847130', description: 'laptops' }],
  grossMassKg: 9000,
  consignor: 'Baltic Trade LLC',
};

describe('case and declaration routes', () => {
  let f: CaseFixture;
  let server: Hapi.Server;
  before(async () => {
    f = await caseFixture(LANE, [fixedScorer('alpha', 75)]);
    server = Hapi.server();
    testAuth(server);
    registerCaseRoutes(server, {
      cases: f.module.service,
      store: f.module.store,
      declarations: f.module.declarations,
      flagScore: 40,
      audit: f.module.audit,
      fourEyes: f.module.fourEyes,
    });
    await server.initialize();
  });
  after(async () => {
    await server.stop();
    await f.close();
  });

  it("answers nothing without a token, and 403 without the route's scope", async () => {
    for (const url of ['/api/v1/cases', '/api/v1/declarations', '/api/v1/reports/outcomes']) assert.equal((await server.inject(url)).statusCode, 401, url);
    const res = await server.inject({ method: 'POST', url: '/api/v1/declarations', headers: as('cases:read'), payload: DECLARATION });
    assert.equal(res.statusCode, 403);
  });

  it('takes a declaration, normalized, and refuses bad ones naming the field', async () => {
    const ok = await server.inject({
      method: 'POST',
      url: '/api/v1/declarations',
      headers: as('declarations:write'),
      payload: { ...DECLARATION, containers: ['csqu 305438-3'] },
    });
    assert.equal(ok.statusCode, 201);
    assert.deepEqual(
      ok.result && (ok.result as { declaration: { transport: { containers: string[] } } }).declaration.transport.containers,
      ['CSQU3054383'],
      'a v1 body comes back as v2',
    );
    const digit = await server.inject({
      method: 'POST',
      url: '/api/v1/declarations',
      headers: as('declarations:write'),
      payload: { ...DECLARATION, number: 'D-78', containers: ['CSQU3054384'] },
    });
    assert.equal(digit.statusCode, 400);
    assert.match(JSON.parse(digit.payload).message, /\/containers\/0: 'CSQU3054384' fails the ISO 6346 check digit \(expected 3\)/);
    const hs = await server.inject({
      method: 'POST',
      url: '/api/v1/declarations',
      headers: as('declarations:write'),
      payload: { ...DECLARATION, goods: [{ hsCode: '84x', description: 'x' }] },
    });
    assert.equal(hs.statusCode, 400);
    assert.match(JSON.parse(hs.payload).message, /\/goods\/0\/hsCode: must match pattern/);
    const extra = await server.inject({
      method: 'POST',
      url: '/api/v1/declarations',
      headers: as('declarations:write'),
      payload: { ...DECLARATION, colour: 'red' },
    });
    assert.match(JSON.parse(extra.payload).message, /must NOT have additional properties 'colour'/);
    await server.inject({
      method: 'POST',
      url: '/api/v1/declarations',
      headers: as('declarations:write'),
      payload: { ...DECLARATION, number: '10702030/010326/0001234', containers: ['TGHU8765436'] },
    });
    const slashed = await server.inject({ url: '/api/v1/declarations/10702030%2F010326%2F0001234', headers: as('cases:read') });
    assert.equal(JSON.parse(slashed.payload).transport.containers[0], 'TGHU8765436', 'a number with slashes is read back URL-encoded');
    const list = await server.inject({ url: '/api/v1/declarations?identifier=CSQU3054383', headers: as('cases:read') });
    assert.deepEqual(
      JSON.parse(list.payload).declarations.map((d: { number: string }) => d.number),
      ['D-77'],
    );
  });

  it('lists cases by channel, shows one with its observations and reasons, and takes referral and outcome', async () => {
    await f.write(obs({ device: 'ocr', kind: 'identification', t: 0, containers: ['CSQU3054383'] }));
    await f.write(obs({ device: 'scale', t: 8 }));
    await f.module.service.idle();
    const red = JSON.parse((await server.inject({ url: '/api/v1/cases?channel=red&lane=L1', headers: as('cases:read') })).payload);
    assert.equal(red.cases.length, 1);
    assert.equal(JSON.parse((await server.inject({ url: '/api/v1/cases?channel=green', headers: as('cases:read') })).payload).cases.length, 0);
    const bad = await server.inject({ url: '/api/v1/cases?channel=blue', headers: as('cases:read') });
    assert.equal(bad.statusCode, 400);
    assert.match(JSON.parse(bad.payload).message, /channel: must be equal to one of the allowed values \(green, yellow, red\)/);
    const id = red.cases[0].id;
    const one = JSON.parse((await server.inject({ url: `/api/v1/cases/${id}`, headers: as('cases:read') })).payload);
    assert.equal(one.case.declarationNumber, 'D-77');
    assert.equal(one.observations.length, 2);
    assert.deepEqual(one.reasons, [{ scorer: 'alpha', code: 'alpha.fixed', score: 75, reason: 'alpha says 75' }]);
    const refer = await server.inject({ method: 'POST', url: `/api/v1/cases/${id}/referral`, headers: as('cases:write'), payload: { reason: 'again' } });
    assert.equal(refer.statusCode, 409, 'already referred by the policy');
    const noScope = await server.inject({ method: 'POST', url: `/api/v1/cases/${id}/outcome`, headers: as('cases:read'), payload: { violation: true } });
    assert.equal(noScope.statusCode, 403);
    const wrongType = await server.inject({ method: 'POST', url: `/api/v1/cases/${id}/outcome`, headers: as('cases:write'), payload: { violation: 'yes' } });
    assert.match(JSON.parse(wrongType.payload).message, /\/violation: must be boolean/);
    const impostor = await server.inject({
      method: 'POST',
      url: `/api/v1/cases/${id}/outcome`,
      headers: as('cases:write'),
      payload: { violation: false, officer: 'officer-ivanova' },
    });
    assert.equal(impostor.statusCode, 400, 'a body cannot name another officer');
    assert.match(JSON.parse(impostor.payload).message, /recorded as officer-petrov, who is signed in; a request cannot name another officer/);
    assert.equal(
      JSON.parse((await server.inject({ url: `/api/v1/cases/${id}`, headers: as('cases:read') })).payload).case.state,
      'referred',
      'nothing recorded',
    );
    const outcome = await server.inject({
      method: 'POST',
      url: `/api/v1/cases/${id}/outcome`,
      headers: as('cases:write'),
      payload: { violation: true, findings: '40 kg undeclared', officer: 'officer-petrov' },
    });
    assert.equal(outcome.statusCode, 200);
    const c = JSON.parse(outcome.payload).case;
    assert.equal(c.state, 'inspected');
    assert.equal(c.outcome.officer, 'officer-petrov');
    const history = JSON.parse((await server.inject({ url: `/api/v1/cases/${id}/history`, headers: as('cases:read') })).payload);
    assert.deepEqual(
      history.entries.map((e: { action: string; actor: { subject: string } }) => [e.action, e.actor.subject]),
      [
        ['case.referred', 'policy default'],
        ['case.outcome', 'officer-petrov'],
      ],
    );
    assert.equal(history.entries[1].before.state, 'referred');
    assert.equal(history.entries[1].after.outcome.findings, '40 kg undeclared');
    assert.equal(history.entries[1].actor.source, '127.0.0.1', 'from where');
    assert.equal((await server.inject({ url: '/api/v1/cases/01900000-0000-7000-8000-000000000000', headers: as('cases:read') })).statusCode, 404);
    assert.equal((await server.inject({ url: '/api/v1/cases/not-an-id', headers: as('cases:read') })).statusCode, 400);
  });

  it('reports referral rate, hit rate and share of violations flagged per policy and scorer', async () => {
    const r = JSON.parse((await server.inject({ url: '/api/v1/reports/outcomes', headers: as('cases:read') })).payload);
    assert.equal(r.cases, 1);
    assert.equal(r.violations, 1);
    assert.deepEqual(r.policies, [
      { name: 'default', mode: 'live', cases: 1, flagged: 1, referralRate: 1, flaggedInspected: 1, hits: 1, hitRate: 1, violationsFlagged: 1 },
    ]);
    assert.equal(r.scorers[0].name, 'alpha');
    assert.equal(r.scorers[0].hitRate, 1);
  });
});
