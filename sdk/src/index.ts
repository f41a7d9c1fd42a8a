// `@customs-hub/sdk`: the contract a vendor builds against. The hub's own helpers are in `@customs-hub/sdk/runtime`.
export * from './model/observation.js';
export * from './model/payloads.js';
export * from './model/device-status.js';
export * from './model/declaration.js';
export * from './declaration-migration.js';
export * from './model/inspection-case.js';
export * from './context.js';
export * from './plugin.js';
export * from './scorer.js';
export * from './simulator.js';
export * from './errors.js';
export * from './iso6346.js';
export * from './air-waybill.js';
export * from './schemas.js';
export { SDK_VERSION } from './version.js';
export * from './random.js';
export * from './link-telemetry.js';
export * from './lane-twin.js';
