import { definePlugin } from '@customs-hub/sdk';
import { configSchema, type DicosConfig } from './config.js';
import { DicosDriver } from './driver.js';
import { dicosFileReader } from './reader.js';
import { dicosSimulator } from './simulator/simulator.js';

/** Baggage X-ray / CT units speaking NEMA DICOS: threat detection reports and DX/CT images. */
export const plugin = definePlugin<DicosConfig>({
  manifest: {
    name: 'dicos',
    version: '1.0.0',
    sdk: '^1.0.0',
    description: 'Baggage X-ray / CT units through NEMA DICOS files (hot folder or upload): TDRs and DX/CT images.',
    kinds: ['xray.threat-report', 'xray.scan', 'device.event'],
    configSchema,
  },
  createDriver: () => new DicosDriver(),
  files: dicosFileReader,
});

/** The simulators `customs-hub simulate` and a config's `simulators:` can run. */
export const simulators = [dicosSimulator];

export type { DicosConfig } from './config.js';
