import type { Logger } from '@customs-hub/sdk';
import { setLogLevel, LogLevel } from 'node-opcua';
import { XraySimulator, type XraySimulatorOptions } from '../src/simulator/xray-simulator.js';
import { DEFAULT_OPTIONS } from '../src/simulator/xray-simulator.js';

// node-opcua's own warnings (self-signed certificates, PKCS#1) would drown the test report.
setLogLevel(LogLevel.Error);

export const quietLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quietLogger };

/** Starts a simulator on free ports with small images; scans only on demand unless intervalS is given. */
export function startSimulator(options: Partial<XraySimulatorOptions> = {}): Promise<XraySimulator> {
  return new XraySimulator({ ...DEFAULT_OPTIONS, port: 0, httpPort: 0, intervalS: 0, imageMb: 0.25, seed: 7, ...options }, quietLogger).start();
}

/** A driver config for the simulator, with the short delays tests want. */
export function configFor(sim: XraySimulator, extra: Record<string, unknown> = {}) {
  return { endpointUrl: sim.endpointUrl, reconnectMinMs: 100, reconnectMaxMs: 500, publishingIntervalMs: 100, ...extra };
}
