import assert from 'node:assert/strict';
import { Correlator, type Assignment, type Unassigned } from '../../src/cases/correlator.js';
import { correlationFor, scoringSection } from '../../src/scoring/scoring-config.js';
import { sectionContext } from '../helpers/hub-config.js';
import { containerCheckDigit, type Observation } from '@customs-hub/sdk';
import { obs, T0 } from './case-fixture.js';

// The two failures reported in issue 11, reproduced on the correlator alone (the lifecycle test checks
// the same on the database: every observation in a case or recorded as belonging to none).

function correlator(lanes: Record<string, unknown>, extra: Record<string, unknown> = {}): Correlator {
  return new Correlator(
    correlationFor(scoringSection.parse({ correlation: { windowS: 60, closeAfterS: 20, lanes, ...extra } }, sectionContext()).correlation, []),
    'CP1',
  );
}

function container(serial: number): string {
  const first10 = `MSCU${String(serial).padStart(6, '0')}`;
  return `${first10}${containerCheckDigit(first10)}`;
}

const weight = (t: number, kg: number) => obs({ device: 'scale', t, payload: { grossKg: kg, stable: true } });

/** A weighbridge polled every 500 ms on a portal lane: empty deck, then each truck on it for 8 s, 30 trucks. */
function polledLane(trucks: number): Array<{ o: Observation; truck: number | null }> {
  const out: Array<{ o: Observation; truck: number | null }> = [];
  for (let i = 0; i < trucks; i++) {
    const t0 = 20 + i * 40;
    out.push({ o: obs({ device: 'rpm', kind: 'radiation.passage', t: t0, dur: 6 }), truck: i });
    // the deck is empty until the truck drives on at t0 + 10, loaded for 8 s, empty again after
    for (let t = t0 - 20 + (i === 0 ? 0 : 20); t < t0 + 30; t += 0.5) {
      const on = t >= t0 + 10 && t < t0 + 18;
      out.push({ o: weight(t, on ? 24_000 + i * 10 : 0), truck: on ? i : null });
    }
  }
  return out.sort((a, b) => Date.parse(a.o.deviceTime) - Date.parse(b.o.deviceTime));
}

describe('case correlation: the issue 11 regressions', () => {
  it("a weighbridge polled every 500 ms next to a portal: each truck's weighings join its own case, empty-deck readings join none", () => {
    const c = correlator({ L1: { expectedDevices: ['rpm', 'scale'] } });
    const readings = polledLane(30);
    const caseOfTruck = new Map<number, Set<string>>();
    let unassigned = 0;
    for (const [i, { o, truck }] of readings.entries()) {
      const now = T0 + i * 500;
      const a = c.assign(o, now);
      assert.ok(a, 'every weight and passage takes part');
      if (a.wc === null) {
        assert.equal(truck, null, `a loaded reading of truck ${truck} joined no case: ${(a as Unassigned).reason}`);
        assert.match((a as Unassigned).reason, /empty deck/);
        unassigned++;
        continue;
      }
      assert.notEqual(truck, null, 'an empty-deck reading joined a case');
      (caseOfTruck.get(truck!) ?? caseOfTruck.set(truck!, new Set()).get(truck!)!).add(a.wc.case.id);
      // the case closes once complete, as the service would; later polls must not chain into it
      if (c.isComplete(a.wc) && a.wc.closedAtMs === null) {
        a.wc.case.state = 'closed';
        a.wc.closedAtMs = now;
      }
    }
    assert.equal(caseOfTruck.size, 30, 'every truck has a case');
    for (const [truck, ids] of caseOfTruck) assert.equal(ids.size, 1, `truck ${truck} is split over ${ids.size} cases`);
    assert.equal(new Set([...caseOfTruck.values()].flatMap((s) => [...s])).size, 30, 'no two trucks share a case');
    assert.ok(unassigned > 30 * 20, `empty-deck readings recorded as belonging to no case (${unassigned})`);
    for (const wc of c.cases) {
      assert.deepEqual(c.missingDevices(wc), [], 'no case is left waiting for the weighbridge');
      const kgs = new Set(wc.observations.filter((o) => o.kind === 'weight').map((o) => (o.payload as { grossKg: number }).grossKg));
      assert.equal(kgs.size, 1, "one truck's weighings only");
    }
  });

  it('identification readings of 66 different containers 1 s apart: 66 cases, each with its own reading', () => {
    const c = correlator({ L1: { expectedDevices: ['ocr'] } });
    const got: Assignment[] = [];
    for (let i = 0; i < 66; i++) {
      const a = c.assign(obs({ device: 'ocr', kind: 'identification', t: i, containers: [container(100_000 + i * 7919)] }), T0 + i * 1000)!;
      assert.ok(a.wc, `reading ${i} joined no case`);
      got.push(a as Assignment);
      if (c.isComplete(a.wc)) {
        a.wc.case.state = 'closed';
        a.wc.closedAtMs = T0 + i * 1000;
      }
    }
    assert.ok(got.every((a) => a.opened && !a.duplicate));
    assert.equal(c.cases.length, 66);
    assert.ok(c.cases.every((wc) => wc.observations.length === 1 && wc.containers.size === 1));
  });

  it('a gate reading the same container again within duplicateS is a repeat of that case, not a new one', () => {
    const c = correlator({ L1: { expectedDevices: ['ocr', 'rpm'] } });
    const first = c.assign(obs({ device: 'ocr', kind: 'identification', t: 0, containers: [container(1)] }), T0)! as Assignment;
    const again = c.assign(obs({ device: 'ocr', kind: 'identification', t: 1, containers: [container(1)] }), T0)! as Assignment;
    assert.equal(again.wc, first.wc);
    assert.equal(again.duplicate, true);
  });

  it('a twin-20-ft truck (two containers, one plate) is one case; two trucks with different plates 1 s apart are two', () => {
    const c = correlator({ L1: { expectedDevices: ['ocr', 'lpr', 'rpm'] } });
    const plate = c.assign(obs({ device: 'lpr', kind: 'identification', t: 0, plates: ['A123BC77'] }), T0)! as Assignment;
    const front = c.assign(obs({ device: 'ocr', kind: 'identification', t: 1, containers: [container(11)], plates: ['A123BC77'] }), T0)! as Assignment;
    const rear = c.assign(obs({ device: 'ocr', kind: 'identification', t: 2, containers: [container(12)], plates: ['A123BC77'] }), T0)! as Assignment;
    assert.equal(front.wc, plate.wc);
    assert.equal(rear.wc, plate.wc, 'the second box of the twin-20 joins by the plate');
    assert.deepEqual(
      plate.wc.case.conveyance!.containers.map((x) => x.number),
      [container(11), container(12)],
    );
    const other = c.assign(obs({ device: 'ocr', kind: 'identification', t: 3, containers: [container(13)], plates: ['B777OP99'] }), T0)! as Assignment;
    assert.equal(other.opened, true, 'another plate is another vehicle');
    const portal = c.assign(obs({ device: 'rpm', kind: 'radiation.passage', t: 4 }), T0)! as Assignment;
    assert.ok(portal.wc === plate.wc || portal.wc === other.wc);
    assert.equal(c.cases.length, 2);
  });

  it('a reading of a different plate never repeats into the case its device reported to last', () => {
    const c = correlator({ L1: { expectedDevices: ['lpr'] } });
    const a = c.assign(obs({ device: 'lpr', kind: 'identification', t: 0, plates: ['A123BC77'] }), T0)! as Assignment;
    const b = c.assign(obs({ device: 'lpr', kind: 'identification', t: 0.5, plates: ['K456MH50'] }), T0)! as Assignment;
    assert.notEqual(b.wc, a.wc);
    assert.equal(b.opened, true);
  });

  it("a reader's correction (UPDATE naming the first reading in replaces) joins that case and replaces its misread code", () => {
    const c = correlator({ L1: { expectedDevices: ['ocr', 'rpm'] } });
    const misread = {
      ...obs({ device: 'ocr', kind: 'identification', t: 0, containers: [container(20).slice(0, 10) + ((Number(container(20)[10]) + 1) % 10)] }),
      sourceId: 'GATE-1',
    };
    const first = c.assign(misread, T0)! as Assignment;
    c.assign(obs({ device: 'rpm', kind: 'radiation.passage', t: 3 }), T0);
    // the correction comes 5 s later: not a repeat by time, it is one by the reading it names
    const update = { ...obs({ device: 'ocr', kind: 'identification', t: 5, containers: [container(20)] }), sourceId: 'GATE-1#1', replaces: 'GATE-1' };
    const fixed = c.assign(update, T0)! as Assignment;
    assert.equal(fixed.wc, first.wc);
    assert.deepEqual(
      first.wc.case.conveyance!.containers.map((x) => [x.number, x.valid]),
      [[container(20), true]],
      'only the corrected code is left',
    );
    assert.equal(first.wc.observations.length, 3, 'the misread is kept as evidence');
  });
});
