import assert from 'node:assert/strict';
import type { Observation } from '@customs-hub/sdk';
import { Correlator, type Assignment, type Unassigned } from '../../src/cases/correlator.js';
import { correlationFor, scoringSection } from '../../src/scoring/scoring-config.js';
import { sectionContext } from '../helpers/hub-config.js';
import { obs, T0 } from './case-fixture.js';

function correlator(extra: Record<string, unknown> = {}): Correlator {
  const scoring = { correlation: { windowS: 60, closeAfterS: 120, lanes: { L1: { expectedDevices: ['ocr', 'rpm', 'scale'] } }, ...extra } };
  return new Correlator(correlationFor(scoringSection.parse(scoring, sectionContext()).correlation, []), 'CP1');
}

const NOW = T0 + 10_000;

/** Assigns and insists the observation joined a case. */
function put(c: Correlator, o: Observation, now = NOW): Assignment {
  const a = c.assign(o, now);
  assert.ok(a && a.wc, `expected a case, got ${a ? (a as Unassigned).reason : 'null'}`);
  return a as Assignment;
}

describe('case correlation', () => {
  it('leaves lanes configured without cases alone: their observations join no case', () => {
    const c = correlator({ lanes: { L1: { expectedDevices: ['ocr'], cases: false } } });
    assert.equal(c.assign(obs({ device: 'ocr', kind: 'identification', t: 0, containers: ['CSQU3054383'] }), NOW), null);
    assert.equal(c.cases.length, 0);
  });

  it("keeps two trucks close together apart, even when the second one's RPM passage comes before its plate", () => {
    const c = correlator();
    const a1 = put(c, obs({ device: 'ocr', kind: 'identification', t: 0, containers: ['CSQU3054383'] }), NOW);
    c.assign(obs({ device: 'rpm', kind: 'radiation.passage', t: 2 }), NOW);
    c.assign(obs({ device: 'scale', t: 10 }), NOW);
    const b1 = put(c, obs({ device: 'rpm', kind: 'radiation.passage', t: 20 }), NOW);
    const b2 = put(c, obs({ device: 'ocr', kind: 'identification', t: 18, containers: ['TGHU8765436'] }), NOW);
    const b3 = put(c, obs({ device: 'scale', t: 30 }), NOW);
    assert.equal(a1.opened, true);
    assert.equal(b1.opened, true, 'the first truck already passed the RPM, so the second passage opens a new case');
    assert.equal(b2.wc, b1.wc, 'the plate joins the case its passage opened');
    assert.equal(b3.wc, b1.wc);
    assert.equal(c.cases.length, 2);
    assert.deepEqual(
      a1.wc.case.conveyance!.containers.map((x) => x.number),
      ['CSQU3054383'],
    );
    assert.deepEqual(
      b1.wc.case.conveyance!.containers.map((x) => x.number),
      ['TGHU8765436'],
    );
    assert.ok(c.isComplete(a1.wc) && c.isComplete(b1.wc));
  });

  it("sends a scale reading that arrives after the next truck's to the nearest case still missing the scale", () => {
    const c = correlator();
    const a = put(c, obs({ device: 'ocr', kind: 'identification', t: 0, containers: ['CSQU3054383'] }), NOW).wc;
    const b = put(c, obs({ device: 'ocr', kind: 'identification', t: 25, containers: ['TGHU8765436'] }), NOW).wc;
    assert.equal(put(c, obs({ device: 'scale', t: 28 }), NOW).wc, b);
    assert.equal(put(c, obs({ device: 'scale', t: 4, received: 40 }), NOW).wc, a, 'late, but its device time belongs to the first truck');
  });

  it('attaches a late file to the closed case its time belongs to, not to a new one', () => {
    const c = correlator({ lanes: { L1: { expectedDevices: ['ocr', 'rpm'] } } });
    const a = put(c, obs({ device: 'ocr', kind: 'identification', t: 0, containers: ['CSQU3054383'] }), NOW).wc;
    c.assign(obs({ device: 'rpm', kind: 'radiation.passage', t: 1 }), NOW);
    a.case.state = 'scored';
    a.closedAtMs = NOW;
    const late = put(
      c,
      obs({ device: 'riid', kind: 'radiation.nuclide-id', t: 5, received: 3600, payload: { nuclides: [{ name: 'Cs-137' }] } }),
      NOW + 3_000_000,
    );
    assert.equal(late.wc, a);
    assert.equal(late.opened, false);
    assert.equal(a.observations.length, 3);
  });

  it('closes a case missing a device by timeout, on the lane clock or when the lane is idle', () => {
    const c = correlator();
    const a = put(c, obs({ device: 'ocr', kind: 'identification', t: 0, containers: ['CSQU3054383'] }), NOW).wc;
    c.assign(obs({ device: 'rpm', kind: 'radiation.passage', t: 2 }), NOW);
    assert.deepEqual(c.timedOut(NOW + 1000), []);
    assert.deepEqual(c.missingDevices(a), ['scale']);
    // Traffic moves the lane clock: a truck 200 s later is past closeAfterS (120 s) for the first.
    c.assign(obs({ device: 'ocr', kind: 'identification', t: 200, containers: ['TGHU8765436'] }), NOW);
    assert.deepEqual(
      c.timedOut(NOW + 1000).map((w) => w.case.id),
      [a.case.id],
    );
    assert.equal(c.timedOut(NOW + 121_000).length, 2, 'idle for longer than closeAfterS: both close');
  });

  it('treats a repeated reading of the same device as a duplicate of the same case', () => {
    const c = correlator();
    const first = put(c, obs({ device: 'scale', t: 10 }), NOW);
    const again = put(c, obs({ device: 'scale', t: 11 }), NOW);
    assert.equal(again.wc, first.wc);
    assert.equal(again.duplicate, true);
    assert.equal(c.cases.length, 1);
    const next = put(c, obs({ device: 'scale', t: 40 }), NOW);
    assert.equal(next.opened, true, 'the same scale 30 s later weighs another truck');
  });

  it('corrects a known device clock offset before matching', () => {
    const c = correlator({ windowS: 30, clockOffsetS: { scale: 300 } });
    const a = put(c, obs({ device: 'ocr', kind: 'identification', t: 0, containers: ['CSQU3054383'] }), NOW).wc;
    assert.equal(put(c, obs({ device: 'scale', t: 305 }), NOW).wc, a, 'the scale runs 5 min fast');
  });

  it('keeps an invalid container number as read, flagged, and joins by it', () => {
    const c = correlator();
    const a = put(c, obs({ device: 'ocr', kind: 'identification', t: 0, containers: ['CSQU3054384'] }), NOW).wc;
    assert.deepEqual(a.case.conveyance!.containers, [{ number: 'CSQU3054384', valid: false }]);
    assert.equal(
      put(c, obs({ device: 'xray', kind: 'identification', t: 500, containers: ['CSQU3054384'] }), NOW).wc,
      a,
      'identity joins beyond the time window',
    );
  });

  it('joins a handheld reading without a lane only by the container it names, and ignores sample streams', () => {
    const c = correlator();
    const a = put(c, obs({ device: 'ocr', kind: 'identification', t: 0, containers: ['CSQU3054383'] }), NOW).wc;
    assert.equal(
      put(c, obs({ device: 'riid', kind: 'radiation.nuclide-id', lane: null, t: 300, containers: ['CSQU3054383'], payload: { nuclides: [] } }), NOW).wc,
      a,
    );
    const alone = c.assign(obs({ device: 'riid', kind: 'radiation.nuclide-id', lane: null, t: 900, payload: { nuclides: [] } }), NOW);
    assert.equal(alone?.wc, null);
    assert.match((alone as Unassigned).reason, /names no container, plate or item/);
    assert.equal(c.assign(obs({ device: 'rpm', kind: 'radiation.gross-count', t: 1, payload: { counts: 1, durationS: 0.2 } }), NOW), null);
    assert.equal(a.devices.has('riid'), false, 'a handheld is not one of the lane devices');
  });
  it('once it has learned how long after arrival each device reports, gives a reading to the truck it fits, not the nearest', () => {
    const c = correlator();
    for (const t of [0, 200, 400]) {
      c.assign(obs({ device: 'ocr', kind: 'identification', t, containers: [t === 0 ? 'CSQU3054383' : t === 200 ? 'TGHU8765436' : 'YMLU3030933'] }), NOW);
      c.assign(obs({ device: 'rpm', kind: 'radiation.passage', t: t + 2 }), NOW);
      const done = put(c, obs({ device: 'scale', t: t + 10 }), NOW).wc;
      c.learnTiming(done);
    }
    const a = put(c, obs({ device: 'ocr', kind: 'identification', t: 1000, plates: ['A111AA'] }), NOW).wc;
    const b = put(c, obs({ device: 'ocr', kind: 'identification', t: 1012, plates: ['B222BB'] }), NOW).wc;
    // 13 s after the first truck, 1 s after the second: the scale usually reports 10 s after arrival.
    assert.equal(put(c, obs({ device: 'scale', t: 1013 }), NOW).wc, a);
    assert.equal(put(c, obs({ device: 'scale', t: 1022 }), NOW).wc, b);
  });
  it('neither waits for nor reports a device in maintenance', () => {
    const scoring = { correlation: { lanes: { L1: { expectedDevices: ['ocr', 'rpm', 'scale'] } } } };
    const c = new Correlator(correlationFor(scoringSection.parse(scoring, sectionContext()).correlation, []), 'CP1', (id) => id === 'scale');
    const a = put(c, obs({ device: 'ocr', kind: 'identification', t: 0, containers: ['CSQU3054383'] }), NOW).wc;
    assert.equal(c.isComplete(a), false);
    c.assign(obs({ device: 'rpm', kind: 'radiation.passage', t: 2 }), NOW);
    assert.equal(c.isComplete(a), true, 'the scale is in maintenance');
    assert.deepEqual(c.missingDevices(a), []);
  });
});
