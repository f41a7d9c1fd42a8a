import type { Conveyance } from './observation.js';

export type CaseState = 'open' | 'closed' | 'scored' | 'referred' | 'inspected' | 'released';

/** The selectivity channel: green release, yellow documentary check, red physical inspection. */
export type Channel = 'green' | 'yellow' | 'red';

/** One scorer's contribution as stored on a case (a Contribution plus who made it). */
export interface CaseContribution {
  scorer: string;
  code: string;
  score: number;
  reason: string;
  evidence: { observationIds: string[]; values?: Record<string, unknown> };
}

/** The outcome of one policy over a case's contributions. */
export interface PolicyResult {
  policy: string;
  score: number;
  channel: Channel;
  /** True when the channel comes from the minimum random rate, not from the score. */
  random: boolean;
}

/** The risk of a case: the live decision, every reason, and what ran in shadow beside it. */
export interface CaseRisk extends PolicyResult {
  scoredAt: string;
  contributions: CaseContribution[];
  /** Scorers that threw or ran past their budget: the case was scored without them. */
  skipped: Array<{ scorer: string; reason: string }>;
  shadow: { contributions: CaseContribution[]; policies: PolicyResult[]; skipped: Array<{ scorer: string; reason: string }> };
}

/** An officer's inspection result. */
export interface CaseOutcome {
  violation: boolean;
  /** What was found, in plain words. */
  findings?: string;
  officer?: string;
  recordedAt: string;
}

/** Everything seen of one conveyance passing one lane. */
export interface InspectionCase {
  schema: 'inspection-case/v1';
  id: string;
  checkpoint: string;
  lane: string;
  state: CaseState;
  openedAt: string;
  closedAt?: string;
  /** Why the case closed: every expected device reported, or the timeout passed. */
  closeReason?: 'complete' | 'timeout' | 'shutdown';
  /** Device time span of the observations: first start to last end. */
  window?: { start: string; end: string };
  conveyance?: Conveyance;
  observationIds: string[];
  /** Devices of the lane that should have seen the conveyance and did not. */
  missingDevices?: string[];
  declarationNumber?: string;
  channel?: Channel;
  risk?: CaseRisk;
  referral?: { reason: string; by: string; at: string };
  outcome?: CaseOutcome;
}
