import type {
  CaseContribution,
  CaseRisk,
  CentralWatchlists,
  Contribution,
  Declaration,
  DeclarationRiskHost,
  InspectionCase,
  Scorer,
  ScoringInput,
} from '@customs-hub/sdk';
import type { Logger } from '../util/logger.js';
import { applyPolicy, combinedScore } from './policy.js';
import { runDeclarationScorer, runScorer } from './run-scorer.js';
import type { ScorerRegistry } from './scorer-registry.js';
import { CapacityWindow } from './capacity-window.js';
import { DEFAULT_BUDGET_MS, type PolicyConfig, type ScorerSettings, type ScoringConfig } from './scoring-config.js';

/**
 * What the random selection draws on: the conveyance and when it passed, not the case id, so a case scored
 * again (late observation, replay) keeps its draw. The policy's salt keeps the draw unpredictable outside.
 */
export function randomKey(c: InspectionCase): string {
  const ids = [...(c.conveyance?.containers ?? []).map((x) => x.number), ...(c.conveyance?.plates ?? []).map((p) => p.number)].sort();
  return `${c.checkpoint}|${c.lane}|${c.window?.start ?? c.openedAt}|${ids.join(',')}`;
}

interface ActiveScorer {
  name: string;
  scorer: Scorer<unknown>;
  settings: ScorerSettings;
  logger: Logger;
}

/** Where scorers get the learned declaration-risk model from: the live one, and one in shadow. */
export interface RiskModelSource {
  host(which: 'live' | 'shadow'): DeclarationRiskHost | null;
}

/** A host that remembers whether the scorer asked it: those scorers run again with the shadow model. */
function trackedHost(host: DeclarationRiskHost | null): { host?: DeclarationRiskHost; used: () => boolean } {
  if (!host) return { used: () => false };
  let used = false;
  return {
    host: {
      assess: (d) => {
        used = true;
        return host.assess(d);
      },
    },
    used: () => used,
  };
}

const tag = (name: string, c: Contribution): CaseContribution => ({
  scorer: name,
  code: c.code,
  score: c.score,
  reason: c.reason,
  evidence: { observationIds: c.evidence.observationIds, ...(c.evidence.values ? { values: c.evidence.values } : {}) },
});

export class ScoringConfigError extends Error {
  readonly code = 'SCORING_CONFIG';
}

/**
 * Runs every enabled scorer on a closed case, each within its budget, and combines the live ones by the
 * live policy into a score and a channel. Shadow scorers and shadow policies run beside it and are stored,
 * never deciding. Scorers named in the config but not installed are reported on every case.
 */
export class ScoringStage {
  private readonly active: ActiveScorer[] = [];
  private readonly unavailable: Array<{ scorer: string; reason: string; shadow: boolean }> = [];
  /** Called after each scorer run, for metrics. */
  onRun: ((scorer: string, seconds: number, ok: boolean) => void) | null = null;
  /** The learned model scorers may use (set by the case module). */
  models: RiskModelSource | null = null;
  /** The watchlists from the central system scorers may use (set by the case module). */
  watchlists: { readonly lists: CentralWatchlists | null } | null = null;

  /** What every scorer's context shares: its config, its logger, the central watchlists when there are any. */
  private base(a: ActiveScorer): { config: unknown; logger: Logger; watchlists?: CentralWatchlists } {
    const lists = this.watchlists?.lists;
    return { config: a.settings.config, logger: a.logger, ...(lists ? { watchlists: lists } : {}) };
  }

  /** The live policy: the config's, or one changed since through the API (with four-eyes). */
  private live: PolicyConfig;

  get policy(): PolicyConfig {
    return this.live;
  }

  /** Decides the next cases by another live policy (an approved change); the random secret stays the config's. */
  setPolicy(p: PolicyConfig): void {
    this.live = { ...p, randomSecret: this.config.policy.randomSecret };
    this.logger.info({ policy: p.name, thresholds: p.thresholds, capacity: p.capacity }, 'live scoring policy changed');
  }

  constructor(
    registry: ScorerRegistry,
    private readonly config: ScoringConfig,
    private readonly logger: Logger,
  ) {
    this.live = config.policy;
    const settingsByName = new Map(config.scorers.map((s) => [s.name, s]));
    config.scorers.forEach((s, i) => {
      if (!registry.scorers.has(s.name) && s.enabled) {
        const refusal = registry.refused.find((r) => r.reason.includes(` ${s.name} `) || r.source.endsWith(s.package ?? '\u0000'));
        this.unavailable.push({ scorer: s.name, reason: refusal ? `refused: ${refusal.reason}` : `not installed (scoring.scorers[${i}])`, shadow: s.shadow });
      }
    });
    for (const loaded of registry.scorers.values()) {
      const settings = settingsByName.get(loaded.name) ?? { name: loaded.name, enabled: true, shadow: false, budgetMs: DEFAULT_BUDGET_MS, config: {} };
      if (!settings.enabled) continue;
      if (loaded.validateConfig && !loaded.validateConfig(settings.config)) {
        const at = config.scorers.indexOf(settings);
        const problems = (loaded.validateConfig.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`).join('; ');
        throw new ScoringConfigError(`scoring.scorers[${at}].config of scorer ${loaded.name} is invalid: ${problems}`);
      }
      let scorer: Scorer<unknown>;
      try {
        scorer = loaded.plugin.create(settings.config);
      } catch (err) {
        throw new ScoringConfigError(`scorer ${loaded.name} could not be created: ${(err as Error).message}`, { cause: err });
      }
      this.active.push({ name: loaded.name, scorer, settings, logger: logger.child({ scorer: loaded.name }) });
    }
  }

  private readonly windows = new Map<string, CapacityWindow>();

  /** The rolling window of a capacity policy (none for a threshold policy). */
  private capacity(p: PolicyConfig): CapacityWindow | undefined {
    if (!p.capacity) return undefined;
    let w = this.windows.get(p.name);
    if (!w) this.windows.set(p.name, (w = new CapacityWindow(p.capacity.windowH * 3_600_000)));
    return w;
  }

  get scorerNames(): { live: string[]; shadow: string[] } {
    return { live: this.active.filter((a) => !a.settings.shadow).map((a) => a.name), shadow: this.active.filter((a) => a.settings.shadow).map((a) => a.name) };
  }

  /**
   * Pre-arrival risk of a declaration alone: every live scorer that can judge a declaration by itself
   * (scoreDeclaration), combined by the live policy's score. No channel is decided: there is no case yet.
   */
  async scoreDeclaration(d: Declaration): Promise<{ score: number; contributions: CaseContribution[]; skipped: Array<{ scorer: string; reason: string }> }> {
    const contributions: CaseContribution[] = [];
    const skipped: Array<{ scorer: string; reason: string }> = [];
    for (const a of this.active.filter((x) => !x.settings.shadow)) {
      const host = this.models?.host('live') ?? null;
      const run = await runDeclarationScorer(a.scorer, d, { ...this.base(a), ...(host ? { declarationRisk: host } : {}) }, a.settings.budgetMs);
      if (!run) continue;
      if (!run.ok) {
        skipped.push({ scorer: a.name, reason: run.reason });
        continue;
      }
      contributions.push(...run.contributions.map((c) => tag(a.name, c)));
    }
    return { score: combinedScore(this.live, contributions), contributions, skipped };
  }

  async score(input: ScoringInput, now = new Date()): Promise<CaseRisk> {
    const runs = await Promise.all(
      this.active.map(async (a) => {
        const t = trackedHost(this.models?.host('live') ?? null);
        const run = await runScorer(a.scorer, input, { ...this.base(a), ...(t.host ? { declarationRisk: t.host } : {}) }, a.settings.budgetMs);
        return { a, run, usedModel: t.used() };
      }),
    );
    const live: CaseContribution[] = [];
    const shadow: CaseContribution[] = [];
    const skipped = this.unavailable.filter((u) => !u.shadow).map(({ scorer, reason }) => ({ scorer, reason }));
    const shadowSkipped = this.unavailable.filter((u) => u.shadow).map(({ scorer, reason }) => ({ scorer, reason }));
    for (const { a, run } of runs) {
      this.onRun?.(a.name, run.ms / 1000, run.ok);
      if (!run.ok) {
        a.logger.warn({ case: input.case.id, reason: run.reason }, 'scorer skipped');
        (a.settings.shadow ? shadowSkipped : skipped).push({ scorer: a.name, reason: run.reason });
        continue;
      }
      const target = a.settings.shadow ? shadow : live;
      for (const c of run.contributions) {
        target.push({
          scorer: a.name,
          code: c.code,
          score: c.score,
          reason: c.reason,
          evidence: { observationIds: c.evidence.observationIds, ...(c.evidence.values ? { values: c.evidence.values } : {}) },
        });
      }
    }
    const key = randomKey(input.case);
    const decision = applyPolicy(this.live, live, key, this.capacity(this.live), now.getTime());
    // Shadow policies see the shadow scorers too: trying a new scorer together with the policy meant for it.
    const policies = this.config.shadowPolicies.map((p) => applyPolicy(p, [...live, ...shadow], key, this.capacity(p), now.getTime()));
    // A model in shadow: the scorers that used the live model run again with it, and the live policy decides
    // over the case with their shadow contributions in place of the live ones: its channel is recorded, not acted on.
    const shadowHost = this.models?.host('shadow') ?? null;
    const users = runs.filter((r) => r.usedModel && r.run.ok && !r.a.settings.shadow);
    if (shadowHost && users.length > 0) {
      const replaced = new Set(users.map((u) => u.a.name));
      const modelContributions: CaseContribution[] = [];
      let modelId = '';
      for (const { a } of users) {
        const run = await runScorer(a.scorer, input, { ...this.base(a), declarationRisk: shadowHost }, a.settings.budgetMs);
        if (!run.ok) {
          shadowSkipped.push({ scorer: `${a.name} (shadow model)`, reason: run.reason });
          continue;
        }
        for (const c of run.contributions) {
          const m = (c.evidence.values?.model as { id?: string } | undefined)?.id;
          if (m) modelId = m;
          modelContributions.push(tag(`${a.name} (shadow model)`, c));
        }
      }
      shadow.push(...modelContributions);
      const name = `${this.live.name} with shadow model${modelId ? ` ${modelId}` : ''}`;
      const shadowPolicy = { ...this.live, name };
      policies.push(
        applyPolicy(
          shadowPolicy,
          [...live.filter((c) => !replaced.has(c.scorer)), ...modelContributions.map((c) => ({ ...c, scorer: c.scorer.replace(' (shadow model)', '') }))],
          key,
          this.capacity(shadowPolicy),
          now.getTime(),
        ),
      );
    }
    return { ...decision, scoredAt: now.toISOString(), contributions: live, skipped, shadow: { contributions: shadow, policies, skipped: shadowSkipped } };
  }
}
