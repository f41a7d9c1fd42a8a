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
}

export interface Scorer<C = unknown> {
  score(input: ScoringInput, ctx: ScoringContext<C>): Promise<Contribution[]> | Contribution[];
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
