import type { InspectionCase } from '@customs-hub/sdk';

/** How one policy or scorer did on cases with recorded outcomes. */
export interface SelectivityRates {
  name: string;
  mode: 'live' | 'shadow';
  cases: number;
  flagged: number;
  /** flagged / cases */
  referralRate: number;
  /** flagged cases with an outcome */
  flaggedInspected: number;
  /** flagged cases where a violation was found */
  hits: number;
  /** hits / flaggedInspected: how often a referral found something */
  hitRate: number | null;
  /** hits / all violations found: the share of violations this one flagged */
  violationsFlagged: number | null;
}

export interface OutcomesReport {
  cases: number;
  withOutcome: number;
  violations: number;
  policies: SelectivityRates[];
  scorers: SelectivityRates[];
}

function rates(name: string, mode: 'live' | 'shadow', cases: InspectionCase[], flagged: (c: InspectionCase) => boolean, violations: number): SelectivityRates {
  const f = cases.filter(flagged);
  const inspected = f.filter((c) => c.outcome);
  const hits = inspected.filter((c) => c.outcome!.violation).length;
  return {
    name,
    mode,
    cases: cases.length,
    flagged: f.length,
    referralRate: cases.length ? round(f.length / cases.length) : 0,
    flaggedInspected: inspected.length,
    hits,
    hitRate: inspected.length ? round(hits / inspected.length) : null,
    violationsFlagged: violations ? round(hits / violations) : null,
  };
}

const round = (x: number) => Math.round(x * 10000) / 10000;

/**
 * Referral rate, hit rate and the share of violations flagged, per policy (live and shadow) and per scorer.
 * A scorer flags a case when one of its contributions reaches the flag score (the live yellow threshold).
 */
export function outcomesReport(cases: InspectionCase[], flagScore: number): OutcomesReport {
  const scored = cases.filter((c) => c.risk);
  const violations = scored.filter((c) => c.outcome?.violation).length;
  const policies: SelectivityRates[] = [];
  const live = new Set(scored.map((c) => c.risk!.policy));
  for (const name of live)
    policies.push(
      rates(
        name,
        'live',
        scored.filter((c) => c.risk!.policy === name),
        (c) => c.risk!.channel !== 'green',
        violations,
      ),
    );
  const shadowNames = new Set(scored.flatMap((c) => c.risk!.shadow.policies.map((p) => p.policy)));
  for (const name of shadowNames) {
    policies.push(rates(name, 'shadow', scored, (c) => c.risk!.shadow.policies.some((p) => p.policy === name && p.channel !== 'green'), violations));
  }
  const scorers: SelectivityRates[] = [];
  for (const mode of ['live', 'shadow'] as const) {
    const of = (c: InspectionCase) => (mode === 'live' ? c.risk!.contributions : c.risk!.shadow.contributions);
    const names = [...new Set(scored.flatMap((c) => of(c).map((x) => x.scorer)))].sort();
    for (const name of names) scorers.push(rates(name, mode, scored, (c) => of(c).some((x) => x.scorer === name && x.score >= flagScore), violations));
  }
  return { cases: scored.length, withOutcome: scored.filter((c) => c.outcome).length, violations, policies, scorers };
}

/** The report as a small text table, for the CLI. */
export function formatOutcomes(r: OutcomesReport): string {
  const pct = (x: number | null) => (x === null ? '   -  ' : `${(x * 100).toFixed(1).padStart(5)}%`);
  const line = (s: SelectivityRates) =>
    `${`${s.name} (${s.mode})`.padEnd(32)} ${String(s.cases).padStart(6)} ${pct(s.referralRate)} ${String(s.flaggedInspected).padStart(9)} ${pct(s.hitRate)} ${pct(s.violationsFlagged)}`;
  const head = `${''.padEnd(32)} ${'cases'.padStart(6)} ${'referred'.padStart(6)} ${'inspected'.padStart(9)} ${'hits'.padStart(6)} ${'caught'.padStart(6)}`;
  return [
    `cases scored: ${r.cases}, with outcome: ${r.withOutcome}, violations found: ${r.violations}`,
    '',
    'policies',
    head,
    ...r.policies.map(line),
    '',
    'scorers',
    head,
    ...r.scorers.map(line),
  ].join('\n');
}
