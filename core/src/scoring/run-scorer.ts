import type { Contribution, Declaration, Scorer, ScoringContext, ScoringInput } from '@customs-hub/sdk';

export type ScorerRun = { ok: true; contributions: Contribution[]; ms: number } | { ok: false; reason: string; ms: number };

export class ScorerTimeoutError extends Error {
  readonly code = 'SCORER_TIMEOUT';
  constructor(budgetMs: number) {
    super(`ran past its time budget of ${budgetMs} ms`);
  }
}

/**
 * Runs one scorer within its time budget. A scorer that throws, runs too long or returns something that
 * is not a list of contributions yields a reason instead; the case is scored without it.
 * (A scorer that blocks the event loop cannot be stopped in-process; the budget covers async work.)
 */
export async function runScorer<C>(scorer: Scorer<C>, input: ScoringInput, ctx: Omit<ScoringContext<C>, 'signal'>, budgetMs: number): Promise<ScorerRun> {
  return runWithinBudget((signal) => scorer.score(input, { ...ctx, signal }), budgetMs);
}

/** A scorer's pre-arrival judgement of a declaration alone, within its budget; none when it has no scoreDeclaration. */
export async function runDeclarationScorer<C>(
  scorer: Scorer<C>,
  declaration: Declaration,
  ctx: Omit<ScoringContext<C>, 'signal'>,
  budgetMs: number,
): Promise<ScorerRun | null> {
  const fn = scorer.scoreDeclaration;
  if (!fn) return null;
  return runWithinBudget((signal) => fn.call(scorer, declaration, { ...ctx, signal }), budgetMs);
}

async function runWithinBudget(call: (signal: AbortSignal) => Promise<Contribution[]> | Contribution[], budgetMs: number): Promise<ScorerRun> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new ScorerTimeoutError(budgetMs);
      controller.abort(err);
      reject(err);
    }, budgetMs);
  });
  try {
    const result = await Promise.race([Promise.resolve().then(() => call(controller.signal)), expired]);
    const problem = checkContributions(result);
    const ms = performance.now() - started;
    return problem ? { ok: false, reason: `returned ${problem}`, ms } : { ok: true, contributions: result, ms };
  } catch (err) {
    const ms = performance.now() - started;
    if (err instanceof ScorerTimeoutError) return { ok: false, reason: err.message, ms };
    return { ok: false, reason: `threw: ${(err as Error)?.message ?? String(err)}`, ms };
  } finally {
    clearTimeout(timer);
  }
}

function checkContributions(result: unknown): string | null {
  if (!Array.isArray(result)) return 'no list of contributions';
  for (const [i, c] of result.entries()) {
    if (!c || typeof c !== 'object') return `a contribution [${i}] that is not an object`;
    if (typeof c.code !== 'string' || c.code.length === 0) return `a contribution [${i}] without a code`;
    if (typeof c.score !== 'number' || !(c.score >= 0 && c.score <= 100))
      return `a contribution [${i}] (${c.code}) with score ${String(c.score)} outside 0–100`;
    if (typeof c.reason !== 'string' || c.reason.length === 0) return `a contribution [${i}] (${c.code}) without a reason`;
    if (!c.evidence || !Array.isArray(c.evidence.observationIds)) return `a contribution [${i}] (${c.code}) without evidence.observationIds`;
  }
  return null;
}
