import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeConformance } from '@customs-hub/sdk/testing';
import { plugin, type XraySimulator } from '../src/index.js';
import { configFor, startSimulator } from './helpers.js';

describe('xray-opcua: SDK conformance', () => {
  let sim: XraySimulator | null = null;
  // The config object is filled in once the simulator has its ports; the harness reads it at start.
  const config = { endpointUrl: 'opc.tcp://127.0.0.1:4841' };
  // One data dir, so the client certificate is generated once for all checks.
  const dataDir = mkdtempSync(join(tmpdir(), 'xray-conformance-'));

  after(async () => {
    await sim?.stop();
  });

  describeConformance(plugin, {
    config,
    dataDir,
    minObservations: 2,
    runMs: 8000,
    // One simulator for all checks (an OPC UA server takes a while to build); disrupt stops its server, before revives it.
    before: async () => {
      if (!sim) sim = await startSimulator({ intervalS: 0.3, imageMb: 0.1 });
      else if (!sim.serving) await sim.startServer();
      Object.assign(config, configFor(sim));
    },
    disrupt: async () => {
      await sim?.stopServer();
    },
  });
});
