import type { CaseState, InspectionCase } from '@customs-hub/sdk';

/** Feed event types of case transitions. */
export const CASE_EVENTS = {
  opened: 'customs.case.opened.v1',
  closed: 'customs.case.closed.v1',
  scored: 'customs.case.scored.v1',
  referred: 'customs.case.referred.v1',
  inspected: 'customs.case.inspected.v1',
  released: 'customs.case.released.v1',
} as const;

/** Feed event of an observation of a case kind that joined no case (data: observation id, device, lane, reason). */
export const UNCORRELATED_EVENT = 'customs.observation.uncorrelated.v1';

export type CaseTransition = keyof typeof CASE_EVENTS;

/** Which states each transition may start from (scored again after a late observation, referred after release). */
export const ALLOWED_FROM: Record<CaseTransition, readonly CaseState[]> = {
  opened: [],
  closed: ['open'],
  scored: ['closed', 'scored', 'referred', 'inspected', 'released'],
  referred: ['closed', 'scored', 'released'],
  inspected: ['scored', 'referred', 'released', 'inspected'],
  released: ['scored', 'referred', 'inspected'],
};

export class CaseNotFoundError extends Error {
  readonly code = 'CASE_NOT_FOUND';
  constructor(id: string) {
    super(`case ${id} not found`);
  }
}

export class CaseStateError extends Error {
  readonly code = 'CASE_STATE';
  constructor(c: InspectionCase, transition: CaseTransition) {
    super(`case ${c.id} is ${c.state}; it cannot be ${transition} (allowed from: ${ALLOWED_FROM[transition].join(', ')})`);
  }
}
