import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describeConformance } from '@customs-hub/sdk/testing';
import { plugin } from '../src/index.js';
import type { N42Config } from '../src/config.js';
import { startN42Simulator, type RunningN42Simulator } from '../src/simulator/simulator.js';
import { quietLogger, SAMPLES, tempDir } from './helpers.js';

describe('n42 plugin', () => {
  describe('fed by its simulator through a hot folder', () => {
    const dir = join(tempDir('conf'), 'watch');
    const config: N42Config = { watchDir: dir, pollMs: 25 };
    let sim: RunningN42Simulator | null = null;
    describeConformance(plugin, {
      config,
      minObservations: 20,
      before: async () => {
        mkdirSync(dir, { recursive: true });
        // One passage now, the next an hour later: the simulator's timer stays put while the driver is checked.
        sim = await startN42Simulator({ dir, intervalS: 3600, seed: 5 }, quietLogger);
        await sim.idle();
      },
      after: async () => {
        await sim?.stop();
        rmSync(dir, { recursive: true, force: true });
      },
      // Pulling the folder away (an unmounted share) must show up as a failure status.
      disrupt: () => rmSync(dir, { recursive: true, force: true }),
    });
  });

  describe('fed by a file dropped into its folder', () => {
    const dir = join(tempDir('conf'), 'drop');
    describeConformance(plugin, {
      config: { watchDir: dir, pollMs: 25 },
      minObservations: 4,
      before: () => {
        mkdirSync(dir, { recursive: true });
      },
      after: () => {
        rmSync(dir, { recursive: true, force: true });
      },
      stimulate: () => {
        copyFileSync(join(SAMPLES, 'nist-annex-f.n42'), join(dir, 'prd.n42'));
      },
    });
  });
});
