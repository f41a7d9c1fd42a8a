import { describeConformance } from '@customs-hub/sdk/testing';
import { plugin } from '../src/index.js';
import type { OcrGateConfig } from '../src/config.js';
import { frame, toJson } from '../src/simulator/encode.js';
import { startOcrGate } from '../src/simulator/simulator.js';
import type { SimulatedGate } from '../src/simulator/simulated-gate.js';
import { freePort, quietLogger, reading, sendOnce } from './helpers.js';

describe('ocr-gate plugin', () => {
  describe('listening; the gate connects and pushes newline-framed JSON', () => {
    let port = 0;
    const config: OcrGateConfig = { tcp: { mode: 'listen', port: 0 } };
    describeConformance(plugin, {
      config,
      minObservations: 2,
      before: async () => {
        port = await freePort();
        config.tcp!.port = port;
      },
      stimulate: async () => {
        await sendOnce(port, Buffer.concat([frame(toJson(reading())), frame(toJson(reading({ id: 'G1-000002', containers: [{ code: 'MSCU1234566' }] })))]));
      },
      // A gate that cuts its connection in the middle of a message must show as a failure status.
      disrupt: async () => {
        await sendOnce(port, Buffer.from('{"type":"NEW","id":"G1-9","time":"2026-12'));
      },
    });
  });

  describe('connecting to the simulated gate, which serves length-framed XML', () => {
    let gate: SimulatedGate | null = null;
    const config: OcrGateConfig = { tcp: { mode: 'connect', port: 0, framing: { type: 'length' }, reconnectS: 0.1 } };
    describeConformance(plugin, {
      config,
      minObservations: 1,
      before: async () => {
        const port = await freePort();
        config.tcp!.port = port;
        gate = await startOcrGate(
          { transport: 'tcp-server', port, framing: 'length', format: 'xml', intervalS: 0, images: 1, imageWidth: 64, imageHeight: 32 },
          quietLogger,
        );
      },
      after: async () => {
        await gate?.stop();
        gate = null;
      },
      stimulate: async () => {
        await gate!.read({ containers: [{ code: 'CSQU3054383', sizeType: '22G1' }], plate: { number: 'AB123CD' } });
      },
      disrupt: async () => {
        await gate?.stop();
        gate = null;
      },
    });
  });
});
