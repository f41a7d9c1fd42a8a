import type { InspectionCase } from '@customs-hub/sdk';
import type { CaseService } from '../cases/case-service.js';
import type { Owner } from './evaluate.js';
import { RISKY_KINDS, type Delivery } from './traffic.js';
import type { Actor } from '../auth/principal.js';

const SCENARIO_OFFICER: Actor = { subject: 'scenario', role: 'officer', client: 'scenario', source: 'scenario' };

/**
 * The inspection groups at work: every referred case is inspected and its outcome recorded — a violation
 * exactly when the truck carried one. So the outcomes report can be read against the ground truth.
 */
export async function inspectReferred(service: CaseService, cases: InspectionCase[], owner: Map<string, Owner>, deliveries: Delivery[]): Promise<number> {
  const byId = new Map(deliveries.map((d) => [d.id, d]));
  const deliveryOf = new Map<string, number>();
  for (const [obsId, o] of owner) if (o.device === 'ocr') deliveryOf.set(obsId, o.delivery);
  let inspected = 0;
  for (const c of cases) {
    if (c.state !== 'referred') continue;
    const d = byId.get(c.observationIds.map((id) => deliveryOf.get(id)).find((x) => x !== undefined) ?? -1);
    if (!d) continue;
    const violation = RISKY_KINDS.includes(d.kind);
    await service.recordOutcome(c.id, { violation, ...(violation ? { findings: d.kind } : {}) }, SCENARIO_OFFICER);
    inspected++;
  }
  return inspected;
}
