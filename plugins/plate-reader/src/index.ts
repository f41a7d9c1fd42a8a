import { definePlugin } from '@customs-hub/sdk';
import { configSchema, type PlateReaderConfig } from './config.js';
import { PlateReaderDriver } from './driver/driver.js';
import { plateReaderSimulator } from './simulator/simulator.js';

/** ANPR cameras: JSON events pushed over HTTP, ISAPI-style polling of the plate list, images as raw evidence. */
export const plugin = definePlugin<PlateReaderConfig>({
  manifest: {
    name: 'plate-reader',
    version: '1.0.0',
    sdk: '^1.0.0',
    description: 'Licence plate recognition (ANPR) cameras: HTTP push of JSON events and ISAPI-style polling of the plate list with a last-seen cursor.',
    kinds: ['identification'],
    configSchema,
  },
  createDriver: () => new PlateReaderDriver(),
});

/** Simulators this plugin ships: `customs-hub simulate plate-reader`. */
export const simulators = [plateReaderSimulator];

export { PlateReaderDriver } from './driver/driver.js';
export type { PlateReaderConfig, PollConfig } from './config.js';
export { parseEvent } from './message/parse-event.js';
export { parsePlateList } from './isapi/plate-list.js';
export { plateReaderSimulator, startPlateCamera } from './simulator/simulator.js';
export { SimulatedCamera, type PlateSightCommand, type PlateSightResult } from './simulator/simulated-camera.js';
