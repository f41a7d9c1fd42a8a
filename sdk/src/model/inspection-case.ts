import type { Conveyance } from './observation.js';

export type CaseState = 'open' | 'closed' | 'scored' | 'referred' | 'inspected' | 'released';

/** Everything seen of one conveyance passing one lane. */
export interface InspectionCase {
  schema: 'inspection-case/v1';
  id: string;
  checkpoint: string;
  lane: string;
  state: CaseState;
  openedAt: string;
  closedAt?: string;
  conveyance?: Conveyance;
  observationIds: string[];
  declarationNumber?: string;
  risk?: Record<string, unknown>;
  outcome?: Record<string, unknown>;
}
