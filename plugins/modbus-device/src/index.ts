import { definePlugin } from '@customs-hub/sdk';
import { configSchema, type ModbusDeviceConfig } from './config.js';
import { ModbusDeviceDriver } from './driver.js';
import { PROFILE_KINDS } from './profile.js';
import { modbusDeviceSimulator } from './simulator/simulator.js';

/** Generic Modbus device driven by a YAML device profile. */
export const plugin = definePlugin<ModbusDeviceConfig>({
  manifest: {
    name: 'modbus-device',
    version: '1.0.0',
    sdk: '^1.0.0',
    description: 'Generic Modbus TCP / RTU-over-TCP device driven by YAML device profiles (BDKG-05 gamma unit, weighbridge).',
    kinds: [...PROFILE_KINDS],
    configSchema,
  },
  createDriver: () => new ModbusDeviceDriver(),
});

/** Simulators this plugin ships (run by `customs-hub simulate modbus-device`). */
export const simulators = [modbusDeviceSimulator];

export { ProfileError } from './profile-error.js';
export { loadProfile, parseProfile, PROFILE_DIR } from './profile-loader.js';
export type { Profile, RegisterDef, AlarmRule, Table, ProfileKind } from './profile.js';
export type { ModbusDeviceConfig } from './config.js';
