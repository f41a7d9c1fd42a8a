import { definePlugin } from '@customs-hub/sdk';
import { configSchema, type XrayConfig } from './config.js';
import type { XrayDriver } from './driver.js';
import { routeOpcuaLogs } from './opcua-logs.js';
import { xraySimulator } from './simulator/definition.js';

/** Cargo / vehicle X-ray inspection system over OPC UA. */
export const plugin = definePlugin<XrayConfig>({
  manifest: {
    name: 'xray-opcua',
    version: '1.0.0',
    sdk: '^1.0.0',
    description: 'Cargo / vehicle X-ray scanner over OPC UA: scans, automatic analysis and operator annotations, images streamed into the raw store.',
    kinds: ['xray.scan', 'device.event'],
    configSchema,
  },
  // node-opcua is loaded only when a driver runs (in its worker): loading it costs seconds of RSA self-tests.
  createDriver: () => {
    routeOpcuaLogs();
    const { XrayDriver: Driver } = require('./driver.js') as { XrayDriver: typeof XrayDriver };
    return new Driver();
  },
});

/** Simulators this plugin ships: `customs-hub simulate xray`. */
export const simulators = [xraySimulator];

export { certificates, listCertificates, trustCertificate, type CertificateEntry } from './certificates.js';
export { XRAY_NAMESPACE_URI, type ScannerNodes, type ScanFields, type FindingFields } from './address-space.js';
export type { XrayConfig } from './config.js';
export type { XraySimulator } from './simulator/xray-simulator.js';
export type { XraySimulatorOptions, VendorShape } from './simulator/options.js';
