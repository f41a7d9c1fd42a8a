import type { Logger } from './context.js';
import type { Declaration } from './model/declaration.js';
import type { InspectionCase } from './model/inspection-case.js';
import type { Observation } from './model/observation.js';
import type { JsonSchema } from './plugin.js';

/** One reason a case is risky (or not), with the evidence behind it. */
export interface Contribution {
  /** Stable machine code, e.g. "radiation.unexplained-gamma". */
  code: string;
  /** 0 (no risk) to 100 (certain violation). */
  score: number;
  /** Plain words an officer understands. */
  reason: string;
  evidence: { observationIds: string[]; values?: Record<string, unknown> };
}

/** What a scorer sees: a closed case with its observations and matched declaration. */
export interface ScoringInput {
  case: InspectionCase;
  observations: Observation[];
  declaration: Declaration | null;
}

export interface ScoringContext<C = unknown> {
  config: C;
  logger: Logger;
  /** Aborted when the scorer's time budget is spent. */
  signal: AbortSignal;
  /** The hub's learned declaration-risk model, when one is live (or, in a shadow run, the shadow one). */
  declarationRisk?: DeclarationRiskHost;
  /** The watchlists the central system sent this checkpoint (national downlink), when it has sent any. */
  watchlists?: CentralWatchlists;
}

/** One entry of a central watchlist: a party name or id, an HS code prefix, a country… with its own score and note. */
export interface CentralListEntry {
  value: string;
  score?: number;
  note?: string;
}

/** The newest watchlists from the centre, by list name (`consignors`, `consignees`, `hsCodes`, `origins`, …). */
export interface CentralWatchlists {
  version: number;
  sha256: string;
  lists: Readonly<Record<string, ReadonlyArray<CentralListEntry>>>;
}

/** One feature's part in a declaration's learned risk, with the facts behind it. */
export interface DeclarationRiskFactor {
  /** Feature name, e.g. "importer.rate", "unitValue.rankInHs". */
  feature: string;
  /** Its push on the log-odds of a violation (positive: riskier). */
  logOdds: number;
  /** What the feature is about in words ("importer", "HS with origin") and the value concerned ("Y3OM027"). */
  about: string;
  subject: string;
  /** The facts: past inspections `n`, `violations`, `critical`; or for values `unitValue`, `median`, `rank`, `n`, `currency`, `hsCode`. */
  facts: Record<string, number | string>;
}

export interface DeclarationRiskAssessment {
  model: { id: string; trainedUntil: string; status: 'live' | 'shadow' };
  /** Probability that an inspection finds a violation (the riskiest goods item). */
  probability: number;
  /** Goods item the assessment is of. */
  item: number;
  /** The factors, strongest push first. */
  factors: DeclarationRiskFactor[];
}

/** Assesses declarations with the model the hub runs. */
export interface DeclarationRiskHost {
  assess(declaration: Declaration): Promise<DeclarationRiskAssessment | null>;
}

export interface Scorer<C = unknown> {
  score(input: ScoringInput, ctx: ScoringContext<C>): Promise<Contribution[]> | Contribution[];
  /** Optional: judges a declaration alone, before its conveyance arrives (pre-arrival risk assessment). */
  scoreDeclaration?(declaration: Declaration, ctx: ScoringContext<C>): Promise<Contribution[]> | Contribution[];
}

export interface ScorerManifest {
  name: string;
  version: string;
  sdk: string;
  description?: string;
  configSchema?: JsonSchema;
}

/** A risk scorer as the hub loads it. Make one with defineScorer. */
export interface ScorerPlugin<C = unknown> {
  readonly type: 'customs-hub/scorer';
  readonly manifest: ScorerManifest;
  create(config: C): Scorer<C>;
}

/** Declares a risk scorer. Export the result as `scorer` from the package's main module. */
export function defineScorer<C = unknown>(definition: { manifest: ScorerManifest; create(config: C): Scorer<C> }): ScorerPlugin<C> {
  const { manifest } = definition;
  if (!manifest || typeof manifest.name !== 'string' || manifest.name.length === 0) {
    throw new TypeError('defineScorer: manifest.name is required');
  }
  if (typeof manifest.version !== 'string' || typeof manifest.sdk !== 'string') {
    throw new TypeError(`defineScorer(${manifest.name}): manifest.version and manifest.sdk are required`);
  }
  if (typeof definition.create !== 'function') throw new TypeError(`defineScorer(${manifest.name}): create is required`);
  return Object.freeze({ type: 'customs-hub/scorer' as const, manifest, create: definition.create });
}
