export { TestHarness, type HarnessOptions, type StatusRecord, type LogRecord } from './harness.js';
export { describeConformance, type ConformanceOptions } from './conformance.js';
export { directoryRawStore, rawFilePath } from '../raw-store.js';
export { checkedObservation, type CheckedObservationOptions } from './checked-observation.js';
export { freePort } from './free-port.js';
export { WorkerHarness, pluginModulePath, type WorkerHarnessOptions } from './worker-harness.js';
export type { RefusalSeen } from './worker-messages.js';
