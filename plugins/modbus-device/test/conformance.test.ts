import { describeConformance } from '@customs-hub/sdk/testing';
import type { ModbusDeviceConfig } from '../src/config.js';
import { plugin } from '../src/index.js';
import { loadProfile } from '../src/profile-loader.js';
import { ProfileSimulator } from '../src/simulator/profile-simulator.js';
import { freePort } from './helpers.js';

// The weighbridge reports one weighing per vehicle: its simulator runs 20× faster so vehicles come often.
for (const profileName of ['bdkg-05', 'weighbridge']) {
  describe(`modbus-device plugin with the ${profileName} profile`, () => {
    const config: ModbusDeviceConfig = { profile: profileName, host: '127.0.0.1', port: 1, pollIntervalMs: 100, timeoutMs: 300 };
    let sim: ProfileSimulator | null = null;

    before(async () => {
      config.port = await freePort();
    });

    describeConformance(plugin, {
      config,
      minObservations: 2,
      before: async () => {
        sim = new ProfileSimulator(await loadProfile(profileName), {
          host: '127.0.0.1',
          port: config.port,
          seed: 7,
          tickMs: 50,
          timeScale: profileName === 'weighbridge' ? 20 : 1,
        });
        await sim.start();
      },
      after: async () => {
        await sim?.stop();
        sim = null;
      },
      disrupt: async () => {
        await sim?.stop();
      },
    });
  });
}
