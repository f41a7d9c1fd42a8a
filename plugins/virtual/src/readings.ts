import type { ObservationDraft } from '@customs-hub/sdk';
import type { VirtualConfig } from './config.js';
import { gaussian } from '@customs-hub/sdk';

const DEFAULT_CONTAINERS = ['CSQU3054383', 'YMLU3030933', 'MSCU1234566', 'TGHU9876540'];

/** One plausible reading of the configured kind; n counts readings so far. */
export function makeReading(config: VirtualConfig, rand: () => number, n: number, now: Date): ObservationDraft {
  const deviceTime = now.toISOString();
  switch (config.kind) {
    case 'radiation.dose-rate':
      // Background around 0.1 µSv/h, as at a border post.
      return {
        kind: 'radiation.dose-rate',
        deviceTime,
        payload: { doseRateUSvH: round(Math.max(0.01, gaussian(rand, 0.11, 0.015)), 4), durationS: 1 / config.rate },
      };
    case 'radiation.gross-count':
      return {
        kind: 'radiation.gross-count',
        deviceTime,
        payload: { radiation: 'gamma', counts: Math.round(Math.max(0, gaussian(rand, 256, 16))), durationS: 0.2, measurementClass: 'background' },
      };
    case 'weight': {
      const gross = round(gaussian(rand, 24000, 4000), 0);
      return { kind: 'weight', deviceTime, payload: { grossKg: Math.max(3000, gross), stable: rand() > 0.1 } };
    }
    case 'identification': {
      const list = config.containers ?? DEFAULT_CONTAINERS;
      return { kind: 'identification', deviceTime, conveyance: { containers: [list[n % list.length]!] }, payload: { method: 'ocr', position: 'rear' } };
    }
    case 'telemetry':
      return {
        kind: 'telemetry',
        deviceTime,
        payload: {
          values: { temperature: { value: round(gaussian(rand, 21, 0.5), 2), unit: 'Cel' }, supply: { value: round(gaussian(rand, 24, 0.1), 2), unit: 'V' } },
        },
      };
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
