import assert from 'node:assert/strict';
import { PortalModel, type PortalOptions } from '../src/simulator/portal-model.js';

const base: PortalOptions = {
  seed: 5,
  panels: 4,
  scenario: 'mixed',
  gammaBackgroundCps: 1250,
  neutronBackgroundCps: 0.5,
  vehicleIntervalS: 20,
  speedKmh: 8,
  nSigma: 8,
  neutronThreshold: 10,
  highBackgroundCps: 2000,
  lowBackgroundCps: 375,
};
const run = (o: PortalOptions, n: number) => {
  const m = new PortalModel(o);
  return Array.from({ length: n }, () => m.step());
};

describe('rpm simulator portal model', () => {
  it('is deterministic by seed', () => {
    assert.deepEqual(run(base, 600), run(base, 600));
    assert.notDeepEqual(
      run(base, 50).map((t) => t.gamma),
      run({ ...base, seed: 6 }, 50).map((t) => t.gamma),
    );
  });

  it('draws background with Poisson statistics: variance equal to the mean', () => {
    // No vehicle within the first 10 s of a 100 s interval.
    const samples = run({ ...base, scenario: 'clean', vehicleIntervalS: 100 }, 240).map((t) => t.gamma[0]!);
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    const variance = samples.reduce((a, b) => a + (b - mean) ** 2, 0) / (samples.length - 1);
    assert.ok(Math.abs(mean - 250) < 4, `mean ${mean} of 1250 cps × 0.2 s`);
    assert.ok(variance > 250 * 0.75 && variance < 250 * 1.3, `variance ${variance}`);
  });

  it('passes vehicles that shield background, with speed and an occupancy count', () => {
    const ticks = run({ ...base, scenario: 'clean', vehicleIntervalS: 10 }, 400);
    const starts = ticks.filter((t) => t.started);
    const ends = ticks.filter((t) => t.ended);
    assert.ok(starts.length >= 2 && ends.length >= 2);
    assert.deepEqual(
      ends.map((t) => t.ended!.occupancyCount),
      ends.map((_, i) => i + 1),
    );
    for (const s of starts) assert.ok(s.started!.speedKmh >= 6.8 && s.started!.speedKmh <= 9.2, `speed ${s.started!.speedKmh}`);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const inside = mean(ticks.filter((t) => t.occupied).map((t) => t.gamma.reduce((a, b) => a + b)));
    const outside = mean(ticks.filter((t) => !t.occupied).map((t) => t.gamma.reduce((a, b) => a + b)));
    assert.ok(inside < outside * 0.98 && inside > outside * 0.9, `shielded ${inside} vs ${outside}`);
  });

  it('raises background into a high-background fault and back', () => {
    // The episode starts at 10 s (tick 50) and lasts 10 s; the device sees it within a second of each edge.
    const high = run({ ...base, scenario: 'high-background', vehicleIntervalS: 20 }, 140).map((t) => t.gammaHigh);
    assert.equal(high.slice(0, 50).includes(true), false);
    assert.equal(high.slice(56, 100).every(Boolean), true);
    assert.equal(high.slice(106).includes(true), false);
  });
});
