import type { Observation } from '@customs-hub/sdk';
import type { CorrelationConfig } from '../scoring/scoring-config.js';

/**
 * Why an observation of a case kind still says nothing about a conveyance, or null when it does. A
 * weighbridge polled without a vehicle on it reports an empty deck: that reading is kept (and recorded as
 * belonging to no case), but it must not open a case or join the truck before it.
 */
export function notAConveyance(o: Observation, config: Pick<CorrelationConfig, 'emptyDeckKg'>): string | null {
  if (o.kind === 'weight') {
    const p = o.payload as { grossKg: number; tareKg?: number };
    if (p.grossKg < config.emptyDeckKg) return `empty deck: ${p.grossKg} kg is below ${config.emptyDeckKg} kg`;
  }
  return null;
}
