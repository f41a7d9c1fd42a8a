import { definePlugin } from '@customs-hub/sdk';
import { configSchema, type N42Config } from './config.js';
import { N42Driver } from './driver/driver.js';
import { n42FileReader } from './files.js';
import { n42Simulator } from './simulator/simulator.js';

/** ANSI N42.42 instruments: portals, RIIDs, PRDs and backpacks that write or stream N42 XML. */
export const plugin = definePlugin<N42Config>({
  manifest: {
    name: 'n42',
    version: '1.0.0',
    sdk: '^1.0.0',
    description: 'ANSI N42.42 (2006 and 2011/2012) radiation instrument data from a hot folder, HTTP uploads or a TCP stream.',
    kinds: ['radiation.spectrum', 'radiation.gross-count', 'radiation.dose-rate', 'radiation.nuclide-id', 'device.event'],
    configSchema,
  },
  createDriver: () => new N42Driver(),
  files: n42FileReader(),
});

/** Simulators this plugin ships: `customs-hub simulate n42`. */
export const simulators = [n42Simulator];

export { N42Driver } from './driver/driver.js';
export type { N42Config } from './config.js';
export { parseDocument, parseDocuments } from './n42/parse.js';
