import { describeConformance } from '@customs-hub/sdk/testing';
import { plugin, type XraySimulator } from '../src/index.js';
import { configFor, startSimulator } from './helpers.js';

describe('xray-opcua: SDK conformance', () => {
  let sim: XraySimulator | null = null;
  // The driver reads the endpoint from its config; the simulator's port is fixed up front so the config can name it.
  const config = { endpointUrl: 'opc.tcp://127.0.0.1:0', reconnectMinMs: 100, reconnectMaxMs: 500, publishingIntervalMs: 100 };

  describeConformance(plugin, {
    config,
    minObservations: 2,
    runMs: 8000,
    before: async () => {
      sim = await startSimulator({ intervalS: 0.3, imageMb: 0.1 });
      Object.assign(config, configFor(sim));
    },
    after: async () => { await sim?.stop(); sim = null; },
    disrupt: async () => { await sim?.stopServer(); },
  });
});
