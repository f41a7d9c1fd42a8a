import assert from 'node:assert/strict';
import type { RpmEvent } from '../src/events.js';
import { PassageBuilder, type Output } from '../src/passage/passage-builder.js';

const options = {
  panels: 4,
  thresholds: { nSigma: 8, neutronThreshold: 10, normRatioDrop: 0.15 },
  useDeviceSetup: true,
  backgroundSpan: 50,
  backgroundChangeFraction: 0.1,
  occupancyTimeoutS: 120,
  gammaIntervalS: 0.2,
  neutronIntervalS: 1,
};
const t0 = Date.parse('2026-01-01T10:00:00Z');
const at = (s: number) => new Date(t0 + s * 1000);
const gb: RpmEvent = { type: 'gamma', state: 'background', counts: [1000, 1000, 1000, 1000], intervalS: 1 };
const gs: RpmEvent = { type: 'gamma', state: 'scan', counts: [200, 200, 200, 200], intervalS: 0.2 };

function feed(b: PassageBuilder, list: Array<[number, RpmEvent]>): Output[] {
  return list.flatMap(([s, e]) => b.handle(e, at(s)));
}
const passagesOf = (out: Output[]) => out.flatMap((o) => (o.kind === 'passage' ? [o.passage.draft] : []));
const eventsOf = (out: Output[]) => out.flatMap((o) => (o.kind === 'event' ? [o.draft.payload] : []));

describe('rpm passage builder', () => {
  it('builds one passage per occupancy from its samples, timed by the device', () => {
    const b = new PassageBuilder(options);
    const out = feed(b, [
      [0, gb],
      [1, gb],
      [2, { type: 'speed', kmh: 7.96 }],
      [2.2, gs],
      [2.4, gs],
      [2.6, gs],
      [2.6, { type: 'occupancy-end', occupancyCount: 7, neutronBackground: 2 }],
    ]);
    const [p] = passagesOf(out);
    assert.equal(passagesOf(out).length, 1);
    assert.equal(p!.payload.occupancyStart, at(2).toISOString(), 'the first sample covers the 200 ms before it');
    assert.equal(p!.payload.occupancyEnd, at(2.6).toISOString());
    assert.equal(p!.payload.durationS, 0.6);
    assert.equal(p!.payload.speedKmh, 8);
    assert.equal(p!.payload.occupancyCount, 7);
    assert.equal(p!.payload.endReason, 'device');
    assert.deepEqual(p!.quality, { status: 'good' });
    assert.deepEqual(p!.payload.gamma.background, [200, 200, 200, 200]);
    assert.equal(p!.payload.gamma.maxSigma, 0);
  });

  it('closes an occupancy without an end message: timeout, background resumed', () => {
    const b = new PassageBuilder(options);
    feed(b, [
      [0, gb],
      [1, gs],
    ]);
    assert.deepEqual(b.tick(at(100)), []);
    const [timedOut] = passagesOf(b.tick(at(122)));
    assert.equal(timedOut!.payload.endReason, 'timeout');
    assert.equal(timedOut!.quality!.status, 'uncertain');
    const [resumed] = passagesOf(
      feed(b, [
        [130, gs],
        [131, gb],
      ]),
    );
    assert.equal(resumed!.payload.endReason, 'no-end-message');
  });

  it('reports an end of occupancy whose samples it never saw, and occupancies it missed', () => {
    const b = new PassageBuilder(options);
    feed(b, [
      [0, gb],
      [1, gs],
      [1.2, { type: 'occupancy-end', occupancyCount: 3 }],
    ]);
    const out = feed(b, [[5, { type: 'occupancy-end', occupancyCount: 6 }]]);
    assert.deepEqual(
      eventsOf(out).map((e) => [e.code, e.values]),
      [['OCCUPANCIES_MISSED', { missed: 2 }]],
    );
    const [p] = passagesOf(out);
    assert.equal(p!.quality!.status, 'bad');
    assert.match(p!.quality!.reasons!.join(';'), /no gamma samples/);
  });

  it('reports faults once when they start and once when they clear, and marks passages during them', () => {
    const b = new PassageBuilder(options);
    const gh: RpmEvent = { ...gb, state: 'high' } as RpmEvent;
    const out = feed(b, [
      [0, gb],
      [1, gh],
      [2, gh],
      [3, gs],
      [3.2, { type: 'occupancy-end' }],
      [4, gb],
    ]);
    assert.deepEqual(
      eventsOf(out)
        .filter((e) => e.code === 'GAMMA_HIGH_BACKGROUND')
        .map((e) => e.event),
      ['fault', 'fault-cleared'],
    );
    assert.match(passagesOf(out)[0]!.quality!.reasons!.join(';'), /device fault active: GAMMA_HIGH_BACKGROUND/);
  });

  it('marks a passage the hub joined after it had begun as incomplete', () => {
    const b = new PassageBuilder(options);
    const [late] = passagesOf(
      feed(b, [
        [0, gs],
        [0.2, gs],
        [0.4, { type: 'occupancy-end', occupancyCount: 1 }],
      ]),
    );
    assert.equal(late!.quality!.status, 'uncertain');
    assert.match(late!.quality!.reasons!.join(';'), /already in progress when the hub connected/);
    const [whole] = passagesOf(
      feed(b, [
        [1, gb],
        [2, gs],
        [2.2, { type: 'occupancy-end', occupancyCount: 2 }],
      ]),
    );
    assert.doesNotMatch((whole!.quality!.reasons ?? []).join(';'), /already in progress/);
  });

  it('takes N-sigma from the device setup unless told not to', () => {
    const setup: RpmEvent = { type: 'setup-gamma', nSigma: 6, highBackground: 2000, lowBackground: 400, values: {} };
    const withSetup = new PassageBuilder(options);
    withSetup.handle(setup, at(0));
    assert.equal(withSetup.thresholds.nSigma, 6);
    const configOnly = new PassageBuilder({ ...options, useDeviceSetup: false });
    configOnly.handle(setup, at(0));
    assert.equal(configOnly.thresholds.nSigma, 8);
  });
});
