import { describeConformance } from '@customs-hub/sdk/testing';
import { plugin } from '../src/index.js';
import type { PlateReaderConfig } from '../src/config.js';
import { startPlateCamera } from '../src/simulator/simulator.js';
import type { SimulatedCamera } from '../src/simulator/simulated-camera.js';
import { freePort, quietLogger } from './helpers.js';

describe('plate-reader plugin', () => {
  describe('polling the simulated ISAPI-style camera', () => {
    let camera: SimulatedCamera | null = null;
    const config: PlateReaderConfig = { poll: { url: 'http://127.0.0.1:1', intervalMs: 50, timeoutMs: 500, backfillS: 600 } };
    describeConformance(plugin, {
      config,
      minObservations: 2,
      before: async () => {
        const port = await freePort();
        config.poll!.url = `http://127.0.0.1:${port}`;
        camera = await startPlateCamera({ mode: 'isapi', port, intervalS: 0, imageWidth: 32, imageHeight: 24 }, quietLogger);
        await camera.see({ plate: 'AB123CD', country: 'F', at: new Date(Date.now() - 5000) });
        await camera.see({ plate: 'EF456GH', at: new Date(Date.now() - 4000) });
      },
      after: async () => {
        await camera?.stop();
        camera = null;
      },
      // The camera going away must show as a failure status.
      disrupt: async () => {
        await camera?.stop();
        camera = null;
      },
    });
  });
});
