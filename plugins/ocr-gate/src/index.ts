import { definePlugin } from '@customs-hub/sdk';
import { configSchema, type OcrGateConfig } from './config.js';
import { OcrGateDriver } from './driver/driver.js';
import { ocrGateSimulator } from './simulator/simulator.js';

/** Container code recognition gates: ISO 6346 readings over TCP (XML or JSON, framed) or HTTP push. */
export const plugin = definePlugin<OcrGateConfig>({
  manifest: {
    name: 'ocr-gate',
    version: '1.0.0',
    sdk: '^1.0.0',
    description: 'Container code OCR gates: readings pushed as XML or JSON over TCP (length- or delimiter-framed) or HTTP, images as raw evidence.',
    kinds: ['identification'],
    configSchema,
  },
  createDriver: () => new OcrGateDriver(),
});

/** Simulators this plugin ships: `customs-hub simulate ocr-gate`. */
export const simulators = [ocrGateSimulator];

export { OcrGateDriver } from './driver/driver.js';
export type { OcrGateConfig, FramingConfig, TcpConfig } from './config.js';
export { parseMessage } from './message/parse-message.js';
export type { GateMessage, GateReading, GateContainer, GatePlate } from './message/gate-message.js';
export { ocrGateSimulator, startOcrGate, simulatedContainer } from './simulator/simulator.js';
export { SimulatedGate, type GateReadCommand, type GateReadResult } from './simulator/simulated-gate.js';
export { toJson, toXml, frame } from './simulator/encode.js';
export { misreadCode } from './simulator/misread.js';
