import { definePlugin } from '@customs-hub/sdk';
import { configSchema, type RpmConfig } from './config.js';
import { RpmDriver } from './driver.js';
import { rpmSimulator } from './simulator/rpm-simulator.js';

export type { RpmConfig } from './config.js';
export { DEFAULT_MAP, STATUS_BITS, RING_SLOTS } from './modbus/register-map.js';
export { startRpmSimulator, type RunningRpmSimulator } from './simulator/rpm-simulator.js';

/** Radiation portal monitors over the Rapiscan-style ASCII stream or Modbus. */
export const plugin = definePlugin<RpmConfig>({
  manifest: {
    name: 'rpm',
    version: '1.0.0',
    sdk: '^1.0.0',
    description: 'Radiation portal monitors: one passage per occupancy with the hub’s own gamma/neutron/NORM evaluation beside the device’s.',
    kinds: ['radiation.passage', 'device.event', 'telemetry'],
    configSchema,
  },
  createDriver: () => new RpmDriver(),
});

/** Simulators this plugin ships: `customs-hub simulate rpm`. */
export const simulators = [rpmSimulator];
