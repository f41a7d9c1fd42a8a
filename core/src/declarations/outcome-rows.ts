/** An inspection result per declaration: the risk model's label. */
export interface DeclarationOutcome {
  number: string;
  violation: boolean;
  critical: boolean;
  /** When the result became known to the hub (ISO). History features of a declaration dated D use outcomes recorded at or before D's midnight. */
  recordedAt: string;
  source: 'officer' | 'import';
  caseId?: string;
}

export function outcomeRow(o: DeclarationOutcome, checkpoint: string): Record<string, unknown> {
  return {
    checkpoint,
    number: o.number,
    violation: o.violation,
    severity: o.critical ? 2 : o.violation ? 1 : 0,
    recorded_at: o.recordedAt,
    source: o.source,
    case_id: o.caseId ?? null,
  };
}

/** Midnight UTC at the start of a declaration's day plus n days, ISO. */
export function dayPlus(day: string, days: number): string {
  return new Date(Date.parse(`${day.slice(0, 10)}T00:00:00Z`) + days * 86_400_000).toISOString();
}

/** Records (or replaces) the outcome of a declaration: the label the risk model learns from. */
export async function recordDeclarationOutcome(knex: import('knex').Knex, checkpoint: string, o: DeclarationOutcome): Promise<void> {
  await knex('declaration_outcomes').insert(outcomeRow(o, checkpoint)).onConflict(['checkpoint', 'number']).merge();
}
