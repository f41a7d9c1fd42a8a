import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describeConformance } from '@customs-hub/sdk/testing';
import type { Logger, RunningSimulator } from '@customs-hub/sdk';
import { plugin, simulators } from '../src/index.js';
import type { DicosConfig } from '../src/config.js';
import { SHARED_SAMPLES, tempDir } from './helpers.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

describe('dicos: SDK conformance', () => {
  const watchDir = join(tempDir('conformance'), 'inbox');
  let sim: RunningSimulator | null = null;

  describeConformance<DicosConfig>(plugin, {
    config: { watchDir, pollIntervalMs: 25 },
    // The baggage unit drops its first bag at once, then waits a minute: idle during the checks.
    before: async () => {
      rmSync(watchDir, { recursive: true, force: true });
      mkdirSync(watchDir, { recursive: true });
      sim = await simulators[0]!.start({ dir: watchDir, intervalS: 60, seed: 11 }, silent);
      const end = Date.now() + 5000;
      while (readdirSync(watchDir).length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    },
    after: async () => {
      await sim?.stop();
      sim = null;
    },
    stimulate: () => copyFileSync(join(SHARED_SAMPLES, 'baggage-tdr-threat.dcs'), join(watchDir, 'dropped.dcs')),
    // The unit's share goes away: the folder cannot be read any more.
    // Retried: the driver may be moving a file into done/ while the folder goes.
    disrupt: () => rmSync(watchDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 }),
    minObservations: 3,
  });
});
