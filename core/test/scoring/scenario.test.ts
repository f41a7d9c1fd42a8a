import assert from 'node:assert/strict';
import { draftsFor } from '../../src/scenario/drafts.js';
import { Random } from '../../src/scenario/random.js';
import { runScenario } from '../../src/scenario/run-scenario.js';
import { generateTraffic, RISKY_KINDS } from '../../src/scenario/traffic.js';
import { ScorerRegistry } from '../../src/scoring/scorer-registry.js';

describe('scenario', () => {
  it('generates the same day of traffic for the same seed, and another for another seed', () => {
    const day = (seed: number) => {
      const r = new Random(seed);
      const deliveries = generateTraffic(r, { start: Date.UTC(2026, 2, 1), lanes: ['L1', 'L2'], perLane: 50 });
      return { deliveries, drafts: deliveries.flatMap((d) => draftsFor(r, d)) };
    };
    assert.deepEqual(day(7), day(7));
    assert.notDeepEqual(
      day(7).deliveries.map((d) => d.kind),
      day(8).deliveries.map((d) => d.kind),
    );
    const kinds = new Set(day(7).deliveries.map((d) => d.kind));
    for (const k of RISKY_KINDS) assert.ok(kinds.has(k), `a day of 100 trucks has ${k}`);
  });

  it('runs a small day through the pipeline with the reference scorers: risky flagged, clean mostly released', async function () {
    this.timeout(60_000);
    const names = [...ScorerRegistry.discover({}).scorers.keys()].sort();
    for (const name of ['alarm', 'identity', 'radiation', 'watchlist', 'weight', 'xray']) {
      assert.ok(names.includes(name), `scorer ${name} found (the scorer packages in plugins/ must be built: npx tsc -b plugins/scorer-*)`);
    }
    const r = await runScenario({ seed: 11, perLane: 60 });
    assert.equal(r.deliveries, 120);
    assert.equal(r.cases, 120, 'one case per truck');
    assert.ok(r.risky.flagged / r.risky.deliveries >= 0.9, `flagged ${r.risky.flagged} of ${r.risky.deliveries} risky`);
    assert.ok(r.clean.flagged / r.clean.deliveries <= 0.05, `flagged ${r.clean.flagged} of ${r.clean.deliveries} clean`);
    assert.equal(r.byKind['norm-declared']?.red ?? 0, 0, 'declared NORM cargo never goes red');
  });
});
