// `@customs-hub/sdk/runtime`: what the hub's runtime (and the testing kit) does with the contract — the raw store
// on disk, completing and sequencing observations, compiling the model's validators, errors across a thread
// boundary. A plugin needs none of it: its tests get a raw store and checked observations from the testing kit.
export * from './raw-store.js';
export * from './normalize.js';
export * from './model-validator.js';
export * from './wire-error.js';
