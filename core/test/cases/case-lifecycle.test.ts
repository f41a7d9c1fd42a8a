import assert from 'node:assert/strict';
import type { InspectionCase } from '@customs-hub/sdk';
import { containerCheckDigit, SCHEMA_IDS } from '@customs-hub/sdk';
import { compileModel, createAjv, describeErrors } from '@customs-hub/sdk/runtime';
import { storages } from '../helpers/storage.js';
import type { Actor } from '../../src/auth/principal.js';
import { memoryLogger } from '../helpers/hub-config.js';
import { caseFixture as fixtureOn, fixedScorer, obs, type CaseFixture } from './case-fixture.js';

const LANE = `scoring:
  correlation: { windowS: 60, closeAfterS: 120, lanes: { L1: { expectedDevices: [ocr, rpm, scale] } } }
  policy: { thresholds: { yellow: 40, red: 70 }, randomRate: 0 }
`;

/** A valid ISO 6346 number for serial n. */
function container(n: number): string {
  const first10 = `RCVU${String(n).padStart(6, '0')}`;
  return `${first10}${containerCheckDigit(first10)}`;
}

async function truck(f: CaseFixture, t: number, container: string): Promise<void> {
  await f.write(obs({ device: 'ocr', kind: 'identification', t, containers: [container] }));
  await f.write(obs({ device: 'rpm', kind: 'radiation.passage', t: t + 2 }));
  await f.write(obs({ device: 'scale', t: t + 10 }));
}

const IVANOV: Actor = { subject: 'ivanov', role: 'officer', client: 'token:t1', source: '10.0.0.7' };
const validCase = compileModel<InspectionCase>(createAjv(), SCHEMA_IDS.inspectionCase);

for (const storage of storages())
  describe(`case lifecycle on ${storage.name}`, () => {
    let f: CaseFixture;
    const caseFixture = async (yaml: string, scorers: Parameters<typeof fixtureOn>[1]) => fixtureOn(yaml, scorers, await storage.url());
    afterEach(async () => {
      await f?.close();
      await storage.cleanup();
    });

    it('opens, closes when every expected device reported, scores and refers; each transition on the feed with the row', async () => {
      f = await caseFixture(LANE, [fixedScorer('alpha', 80)]);
      await truck(f, 0, 'CSQU3054383');
      await f.module.service.idle();
      const events = await f.events();
      assert.deepEqual(
        events.map((e) => e.type),
        ['customs.case.opened.v1', 'customs.case.closed.v1', 'customs.case.scored.v1', 'customs.case.referred.v1'],
      );
      const last = JSON.parse(events[3]!.json) as InspectionCase;
      assert.equal(last.state, 'referred');
      assert.equal(last.channel, 'red');
      assert.equal(last.closeReason, 'complete');
      assert.deepEqual(last.missingDevices, []);
      assert.equal(last.risk!.contributions[0]!.reason, 'alpha says 80');
      assert.match(last.referral!.reason, /^red channel: alpha says 80/);
      const row = await f.db.knex('cases').where({ id: last.id }).first();
      assert.equal(row.state, 'referred');
      assert.equal(row.channel, 'red');
      const links = await f.db.knex('case_observations').where({ case_id: last.id });
      assert.equal(links.length, 3);
      assert.ok(events.every((e, i) => i === 0 || e.seq > events[i - 1]!.seq));
      for (const e of events) assert.ok(validCase(JSON.parse(e.json)), `${e.type}: ${describeErrors(validCase.errors)}`);
    });

    it('releases a green case, and closes a case missing a device on timeout with the device named', async () => {
      f = await caseFixture(LANE, [fixedScorer('alpha', 5)]);
      await f.write(obs({ device: 'ocr', kind: 'identification', t: 0, containers: ['CSQU3054383'] }));
      await f.write(obs({ device: 'rpm', kind: 'radiation.passage', t: 2 }));
      await f.module.service.closeAll();
      await f.module.service.idle();
      const c = (await f.module.store.list({ limit: 10 }))[0]!;
      assert.equal(c.state, 'released');
      assert.equal(c.channel, 'green');
      assert.equal(c.closeReason, 'timeout');
      assert.deepEqual(c.missingDevices, ['scale']);
    });

    it('scores a case without a scorer that throws or runs past its budget, and says so', async () => {
      f = await caseFixture(`${LANE}  scorers:\n    - { name: slow, budgetMs: 50 }\n`, [
        fixedScorer('alpha', 50),
        fixedScorer('broken', 90, 'throw'),
        fixedScorer('slow', 90, 'hang'),
      ]);
      const started = Date.now();
      await truck(f, 0, 'CSQU3054383');
      await f.module.service.idle();
      const c = (await f.module.store.list({ limit: 1 }))[0]!;
      assert.equal(c.channel, 'yellow', 'only alpha (50) counted');
      assert.deepEqual(c.risk!.skipped.map((s) => s.scorer).sort(), ['broken', 'slow']);
      assert.match(c.risk!.skipped.find((s) => s.scorer === 'slow')!.reason, /time budget of 50 ms/);
      assert.match(c.risk!.skipped.find((s) => s.scorer === 'broken')!.reason, /threw: broken broke/);
      assert.ok(Date.now() - started < 2000);
    });

    it('stores shadow scorers and shadow policies beside the live result without letting them decide', async () => {
      const yaml = `${LANE}  scorers:\n    - { name: candidate, shadow: true }\n  shadowPolicies:\n    - { name: strict, thresholds: { yellow: 10, red: 30 }, randomRate: 0 }\n`;
      f = await caseFixture(yaml, [fixedScorer('alpha', 20), fixedScorer('candidate', 95)]);
      await truck(f, 0, 'CSQU3054383');
      await f.module.service.idle();
      const c = (await f.module.store.list({ limit: 1 }))[0]!;
      assert.equal(c.channel, 'green');
      assert.equal(c.risk!.score, 20);
      assert.deepEqual(
        c.risk!.shadow.contributions.map((x) => [x.scorer, x.score]),
        [['candidate', 95]],
      );
      assert.deepEqual(c.risk!.shadow.policies, [{ policy: 'strict', score: 96, channel: 'red', random: false }]);
    });

    it('scores again when a late observation joins a scored case, and refers a released case that got worse', async () => {
      const riskyWhenNuclide = fixedScorer('alpha', 0);
      const nuclide = {
        ...riskyWhenNuclide,
        create: () => ({
          score: (i: { observations: Array<{ id: string; kind: string }> }) =>
            i.observations.some((o) => o.kind === 'radiation.nuclide-id')
              ? [{ code: 'n', score: 90, reason: 'Cs-137 identified', evidence: { observationIds: [] } }]
              : [],
        }),
      };
      f = await caseFixture(LANE, [nuclide as never]);
      await truck(f, 0, 'CSQU3054383');
      await f.module.service.idle();
      assert.equal((await f.module.store.list({ limit: 1 }))[0]!.state, 'released');
      await f.write(
        obs({ device: 'riid', kind: 'radiation.nuclide-id', t: 5, received: 1800, payload: { nuclides: [{ name: 'Cs-137', category: 'Industrial' }] } }),
      );
      await f.module.service.idle();
      const c = (await f.module.store.list({ limit: 1 }))[0]!;
      assert.equal(c.observationIds.length, 4);
      assert.equal(c.channel, 'red');
      assert.equal(c.state, 'referred');
      const types = (await f.events()).map((e) => e.type);
      assert.deepEqual(types.slice(-3), ['customs.case.released.v1', 'customs.case.scored.v1', 'customs.case.referred.v1']);
    });

    it('records an outcome: no violation releases, a violation keeps the case inspected; wrong states are refused', async () => {
      // Yellow: releasing a red case needs a supervisor too (test/approvals).
      f = await caseFixture(LANE, [fixedScorer('alpha', 50)]);
      await truck(f, 0, 'CSQU3054383');
      await truck(f, 300, 'TGHU8765436');
      await f.module.service.idle();
      const [b, a] = await f.module.store.list({ limit: 10 });
      const clean = await f.module.service.recordOutcome(a!.id, { violation: false }, IVANOV);
      assert.equal(clean.state, 'released');
      assert.equal(clean.outcome!.officer, 'ivanov', 'the officer is the actor');
      const hit = await f.module.service.recordOutcome(b!.id, { violation: true, findings: 'undeclared cigarettes' });
      assert.equal(hit.state, 'inspected');
      assert.equal(hit.outcome!.findings, 'undeclared cigarettes');
      await assert.rejects(f.module.service.refer(hit.id, 'again', IVANOV), /is inspected; it cannot be referred/);
      await assert.rejects(f.module.service.refer('01900000-0000-7000-8000-000000000000', 'x', IVANOV), /not found/);
    });

    it('matches the declaration by container number and hands it to the scorers', async () => {
      let seen: unknown = null;
      const spy = {
        ...fixedScorer('spy', 0),
        create: () => ({
          score: (i: { declaration: unknown }) => {
            seen = i.declaration;
            return [];
          },
        }),
      };
      f = await caseFixture(LANE, [spy as never]);
      await f.module.declarations.submit({
        number: 'D-1',
        containers: ['TGHU 876543-6'],
        goods: [{ hsCode: '690721', description: 'ceramic tiles' }],
        grossMassKg: 18000,
      });
      await truck(f, 0, 'TGHU8765436');
      await f.module.service.idle();
      assert.equal((seen as { number: string } | null)?.number, 'D-1');
      assert.equal((await f.module.store.list({ limit: 1 }))[0]!.declarationNumber, 'D-1');
    });

    it('joins a vehicle whose container was misread to its declaration by the plate', async () => {
      let seen: { number: string } | null = null;
      const spy = {
        ...fixedScorer('spy', 0),
        create: () => ({
          score: (i: { declaration: { number: string } | null }) => {
            seen = i.declaration;
            return [];
          },
        }),
      };
      f = await caseFixture(LANE, [spy as never]);
      await f.module.declarations.submit({
        number: 'D-PLATE',
        containers: ['CSQU3054383'],
        plates: ['A123BC77'],
        goods: [{ hsCode: '940360', description: 'furniture' }],
      });
      await f.write(obs({ device: 'ocr', kind: 'identification', t: 0, containers: ['CSQU3054384'] }));
      await f.write(obs({ device: 'lpr', kind: 'identification', t: 0.5, plates: ['A123BC77'] }));
      await f.write(obs({ device: 'rpm', kind: 'radiation.passage', t: 2 }));
      await f.write(obs({ device: 'scale', t: 10 }));
      await f.module.service.idle();
      const [c] = await f.module.store.list({ limit: 5 });
      assert.deepEqual(c!.conveyance!.containers, [{ number: 'CSQU3054384', valid: false }], 'the misread kept as read');
      assert.equal(c!.declarationNumber, 'D-PLATE');
      assert.equal(seen!.number, 'D-PLATE');
    });

    it('of two declarations naming the same box, joins the one of the vessel call the port gate read; an air waybill joins its own', async () => {
      f = await caseFixture(LANE, [fixedScorer('alpha', 5)]);
      const v2 = (number: string, transport: Record<string, unknown>) => ({
        schema: 'declaration/v2',
        number,
        parties: {},
        goods: [{ hsCode: '940360' }],
        transport,
      });
      await f.module.declarations.submit(v2('D-VOY-A', { containers: ['CSQU3054383'], vessel: { name: 'NORDIC STAR', imo: '9074729', voyage: '2610W' } }));
      await f.module.declarations.submit(v2('D-VOY-B', { containers: ['CSQU3054383'], vessel: { name: 'CAPE ORION', imo: '9506174', voyage: '2612W' } }));
      await f.module.declarations.submit(v2('D-AWB', { airWaybills: ['020-12345675'] }));
      const gate = obs({
        device: 'ocr',
        kind: 'identification',
        t: 0,
        containers: ['CSQU3054383'],
        payload: { method: 'ocr', vessel: { name: 'NORDIC STAR', voyage: '2610W' } },
      });
      await f.write(gate);
      await f.write(obs({ device: 'rpm', kind: 'radiation.passage', t: 2 }));
      await f.write(obs({ device: 'scale', t: 10 }));
      const uld = obs({ device: 'ocr', kind: 'identification', t: 200, payload: { method: 'ocr', items: [{ type: 'airWaybill', number: '02012345675' }] } });
      uld.conveyance.itemId = '02012345675';
      await f.write(uld);
      await f.write(obs({ device: 'rpm', kind: 'radiation.passage', t: 202 }));
      await f.write(obs({ device: 'scale', t: 210 }));
      await f.module.service.idle();
      const cases = await f.module.store.list({ limit: 5 });
      assert.equal(cases.length, 2);
      assert.equal(
        cases.find((c) => c.conveyance!.containers.length > 0)!.declarationNumber,
        'D-VOY-A',
        'the newer declaration of the box is of another voyage',
      );
      assert.equal(cases.find((c) => c.conveyance!.itemId === '02012345675')!.declarationNumber, 'D-AWB');
    });

    it('scores a case again when its declaration arrives after it was scored', async () => {
      f = await caseFixture(LANE, [fixedScorer('alpha', 5)]);
      await truck(f, 0, 'CSQU3054383');
      await f.module.service.idle();
      assert.equal((await f.module.store.list({ limit: 1 }))[0]!.declarationNumber, undefined);
      await f.module.declarations.submit({ number: 'D-LATE', containers: ['CSQU3054383'], goods: [{ hsCode: '8471', description: 'laptops' }] });
      await f.module.service.idle();
      const c = (await f.module.store.list({ limit: 1 }))[0]!;
      assert.equal(c.declarationNumber, 'D-LATE');
      assert.deepEqual((await f.events()).map((e) => e.type).slice(-2), ['customs.case.released.v1', 'customs.case.scored.v1']);
    });

    it('stores every observation in a case or as belonging to none: empty-deck polls, and repeats after the close (issue 11)', async () => {
      f = await caseFixture(LANE, [fixedScorer('alpha', 5)]);
      const written: string[] = [];
      const put = async (o: ReturnType<typeof obs>) => {
        written.push((await f.write(o)).id);
      };
      const scale = (t: number, kg: number) => obs({ device: 'scale', t, payload: { grossKg: kg, stable: true } });
      for (let t = -5; t < 0; t += 0.5) await put(scale(t, 0));
      await put(obs({ device: 'ocr', kind: 'identification', t: 0, containers: ['CSQU3054383'] }));
      await put(obs({ device: 'rpm', kind: 'radiation.passage', t: 2 }));
      await put(scale(10, 24_000));
      await f.module.service.idle();
      // the case is complete and settled; the indicator repeats the same weighing, then the deck empties
      await put(scale(10.5, 24_000));
      for (let t = 12; t < 15; t += 0.5) await put(scale(t, 0));
      await f.module.service.idle();
      const inCase = new Set((await f.db.knex('case_observations').select('observation_id')).map((r) => r.observation_id as string));
      const none = await f.db.knex('uncorrelated_observations').select('*');
      for (const id of written) assert.ok(inCase.has(id) !== none.some((r) => r.observation_id === id), `observation ${id} is in exactly one of the two`);
      assert.equal(inCase.size, 4, "the truck's three readings and the repeated weighing");
      assert.equal(none.length, 16);
      assert.match(none[0].reason, /empty deck: 0 kg is below 500 kg/);
      const cases = await f.module.store.list({ limit: 10 });
      assert.equal(cases.length, 1);
      assert.equal(cases[0]!.observationIds.length, 4);
      assert.equal((await f.events('customs.observation.uncorrelated.v1')).length, 16, 'each one on the feed too');
    });

    it("stores an open case's links as observations join: a crash before any checkpoint loses none (issue 11)", async () => {
      f = await caseFixture(LANE, [fixedScorer('alpha', 5)]);
      // received long ago: past the replay window, so only what is stored can bring them back
      const ocr = await f.write(obs({ device: 'ocr', kind: 'identification', t: 0, containers: ['CSQU3054383'] }));
      const rpm = await f.write(obs({ device: 'rpm', kind: 'radiation.passage', t: 2 }));
      await f.module.service.idle();
      // no sweep, no stop: the correlator never checkpointed, as when the process is killed here
      assert.equal(
        await f.db
          .knex('correlator_state')
          .count({ n: '*' })
          .first()
          .then((r) => Number(r?.n)),
        0,
      );
      const links = (await f.db.knex('case_observations').select('observation_id')).map((r) => r.observation_id as string);
      assert.deepEqual(links.sort(), [ocr.id, rpm.id].sort());
      const again = await f.restart([fixedScorer('alpha', 5)]);
      await again.service.idle();
      const open = again.service.correlator.cases.filter((wc) => wc.case.state === 'open');
      assert.equal(open.length, 1);
      assert.deepEqual(open[0]!.case.observationIds, [ocr.id, rpm.id], 'the restored case holds both readings');
      assert.deepEqual([...open[0]!.devices].sort(), ['ocr', 'rpm']);
      await again.stop();
    });

    it('replays after a restart only what was committed before it, however fast a device writes meanwhile (issue 16)', async () => {
      f = await caseFixture(LANE, [fixedScorer('alpha', 5)]);
      await f.module.service.stop();
      const recent = (o: ReturnType<typeof obs>) => ({ ...o, receivedAt: new Date().toISOString() });
      const weighing = (i: number) => recent(obs({ device: 'scale', t: i * 200, containers: [container(i)] }));
      for (let i = 0; i < 300; i += 100) await Promise.all(Array.from({ length: 100 }, (_, j) => f.write(weighing(i + j))));
      const { logger, lines } = memoryLogger();
      const restarted = f.restart([fixedScorer('alpha', 5)], logger);
      // A device floods the hub while it recovers: what it writes now comes through the live listener.
      for (let i = 300; i < 2300; i += 100) await Promise.all(Array.from({ length: 100 }, (_, j) => f.write(weighing(i + j))));
      const again = await restarted;
      await again.service.idle();
      assert.equal(lines.find((l) => l.msg === 'cases recovered')?.replayed, 300, 'the backlog at start, not what came during recovery');
      const linked = Number((await f.db.knex('case_observations').count({ n: '*' }).first())!.n);
      const none = Number((await f.db.knex('uncorrelated_observations').count({ n: '*' }).first())!.n);
      assert.equal(linked + none, 2300, 'every observation correlated once');
      await again.stop();
    });

    it('recovers an open case after a restart and completes it with observations committed while it was down', async () => {
      f = await caseFixture(LANE, [fixedScorer('alpha', 5)]);
      await f.write(obs({ device: 'ocr', kind: 'identification', t: 0, containers: ['CSQU3054383'] }));
      await f.module.service.idle();
      await f.module.service.stop();
      // Received while the hub was down: recent, so they are replayed (older ones could not join a case).
      const recent = (o: ReturnType<typeof obs>) => ({ ...o, receivedAt: new Date().toISOString() });
      await f.write(recent(obs({ device: 'rpm', kind: 'radiation.passage', t: 2 })));
      await f.write(recent(obs({ device: 'scale', t: 10 })));
      const again = await f.restart([fixedScorer('alpha', 5)]);
      await again.service.idle();
      const cases = await again.store.list({ limit: 10 });
      assert.equal(cases.length, 1, 'no second case for the replayed observations');
      assert.equal(cases[0]!.state, 'released');
      assert.equal(cases[0]!.observationIds.length, 3);
      await again.stop();
    });
  });
