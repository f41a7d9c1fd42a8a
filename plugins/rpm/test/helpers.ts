import { createServer } from 'node:net';
import type { Logger, Observation } from '@customs-hub/sdk';
import type { TestHarness } from '@customs-hub/sdk/testing';

/** A port nothing listens on right now (modbus-serial turns port 0 into 502, so tests pick one). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export const quietLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quietLogger };

export function passages(h: TestHarness<unknown>): Array<Observation<'radiation.passage'>> {
  return h.observations.filter((o): o is Observation<'radiation.passage'> => o.kind === 'radiation.passage');
}

export function events(h: TestHarness<unknown>, code?: string): Array<Observation<'device.event'>> {
  return h.observations
    .filter((o): o is Observation<'device.event'> => o.kind === 'device.event')
    .filter((o) => code === undefined || o.payload.code === code);
}

export function lastTelemetry(h: TestHarness<unknown>): Record<string, number> {
  const t = h.observations.filter((o): o is Observation<'telemetry'> => o.kind === 'telemetry').at(-1);
  if (!t) throw new Error('no telemetry emitted');
  return Object.fromEntries(Object.entries(t.payload.values).map(([k, v]) => [k, Number(v.value)]));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
