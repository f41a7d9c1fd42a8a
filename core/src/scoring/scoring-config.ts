import type { ConfigSection } from '../util/config-section.js';
import { scoringConfigSchema } from './config-schema.js';

export interface PolicyConfig {
  name: string;
  combine: 'noisy-or' | 'max';
  thresholds: { yellow: number; red: number };
  weights: Record<string, number>;
  forceRed: string[];
  randomRate: number;
  randomChannel: 'yellow' | 'red';
  /** Mixed into the random draw so it cannot be predicted from the case (set it from the environment). */
  randomSecret: string;
  /**
   * Inspection capacity instead of fixed thresholds: the top `topPercent` % of cases by score over a rolling
   * `windowH` hours go to `channel`, the rest green (plus the random share). Until `minCases` cases are in the
   * window, the thresholds decide.
   */
  capacity: { topPercent: number; windowH: number; channel: 'yellow' | 'red'; minCases: number } | null;
}

export interface ScorerSettings {
  name: string;
  package?: string;
  enabled: boolean;
  shadow: boolean;
  budgetMs: number;
  config: Record<string, unknown>;
}

export interface LaneRules {
  expectedDevices: string[];
  windowS: number;
  closeAfterS: number;
  /** false: the lane's observations are stored and published but not joined into cases. */
  cases: boolean;
}

export interface CorrelationConfig {
  windowS: number;
  identityWindowS: number;
  closeAfterS: number;
  lateS: number;
  duplicateS: number;
  /** A weighing below this gross mass is an empty deck: no vehicle, no case. */
  emptyDeckKg: number;
  maxFutureS: number;
  kinds: string[];
  clockOffsetS: Record<string, number>;
  lanes: Record<string, LaneRules>;
}

/** A lane's rules as the file gives them: without `expectedDevices`, every device configured in the lane. */
export type LaneRulesSettings = Omit<LaneRules, 'expectedDevices'> & { expectedDevices?: string[] };

/** Correlation as the file gives it; `correlationFor` completes it with the lanes' devices. */
export interface CorrelationSettings extends Omit<CorrelationConfig, 'lanes'> {
  lanes: Record<string, LaneRulesSettings>;
}

export interface ScoringConfig {
  enabled: boolean;
  correlation: CorrelationSettings;
  scorers: ScorerSettings[];
  policy: PolicyConfig;
  shadowPolicies: PolicyConfig[];
}

/** Kinds that say something about one conveyance; sample streams and telemetry would flood cases. */
export const DEFAULT_CASE_KINDS = ['radiation.passage', 'radiation.nuclide-id', 'xray.scan', 'xray.threat-report', 'weight', 'identification'];

export const DEFAULT_BUDGET_MS = 2000;

export function policyWithDefaults(raw: Record<string, any> = {}, name = 'default'): PolicyConfig {
  return {
    name: raw.name ?? name,
    combine: raw.combine ?? 'noisy-or',
    thresholds: { yellow: raw.thresholds?.yellow ?? 40, red: raw.thresholds?.red ?? 70 },
    weights: raw.weights ?? {},
    forceRed: raw.forceRed ?? [],
    randomRate: raw.randomRate ?? 0.01,
    randomChannel: raw.randomChannel ?? 'yellow',
    randomSecret: raw.randomSecret ?? '',
    capacity: raw.capacity
      ? {
          topPercent: raw.capacity.topPercent,
          windowH: raw.capacity.windowH ?? 24,
          channel: raw.capacity.channel ?? 'red',
          minCases: raw.capacity.minCases ?? 50,
        }
      : null,
  };
}

/** The `scoring:` section with defaults. */
function parseScoring(raw: Record<string, any> = {}): ScoringConfig {
  const c = raw.correlation ?? {};
  const windowS = c.windowS ?? 120;
  const closeAfterS = c.closeAfterS ?? 300;
  const lanes: Record<string, LaneRulesSettings> = {};
  for (const [id, rules] of Object.entries<Record<string, any>>(c.lanes ?? {})) {
    lanes[id] = {
      ...(rules.expectedDevices ? { expectedDevices: rules.expectedDevices } : {}),
      windowS: rules.windowS ?? windowS,
      closeAfterS: rules.closeAfterS ?? closeAfterS,
      cases: rules.cases ?? true,
    };
  }
  return {
    enabled: raw.enabled ?? true,
    correlation: {
      windowS,
      closeAfterS,
      lanes,
      identityWindowS: c.identityWindowS ?? 600,
      lateS: c.lateS ?? 3600,
      duplicateS: c.duplicateS ?? 2,
      emptyDeckKg: c.emptyDeckKg ?? 500,
      maxFutureS: c.maxFutureS ?? 120,
      kinds: c.kinds ?? DEFAULT_CASE_KINDS,
      clockOffsetS: c.clockOffsetS ?? {},
    },
    scorers: (raw.scorers ?? []).map((s: Record<string, any>) => ({
      name: s.name,
      package: s.package,
      enabled: s.enabled ?? true,
      shadow: s.shadow ?? false,
      budgetMs: s.budgetMs ?? DEFAULT_BUDGET_MS,
      config: s.config ?? {},
    })),
    policy: policyWithDefaults(raw.policy),
    shadowPolicies: (raw.shadowPolicies ?? []).map((p: Record<string, any>) => policyWithDefaults(p)),
  };
}

/** `scoring:` — correlation rules, scorers, the live and the shadow policies. */
export const scoringSection: ConfigSection<ScoringConfig> = { schema: scoringConfigSchema, parse: parseScoring };

/**
 * The correlator's rules: lanes without rules expect every device configured in them; explicit
 * `expectedDevices` win (a lane's nuclide identifier that reports only on alarm is not expected).
 */
export function correlationFor(settings: CorrelationSettings, lanes: ReadonlyArray<{ id: string; devices: readonly string[] }>): CorrelationConfig {
  const rules: Record<string, LaneRules> = {};
  for (const lane of lanes) rules[lane.id] = { expectedDevices: [...lane.devices], windowS: settings.windowS, closeAfterS: settings.closeAfterS, cases: true };
  for (const [id, r] of Object.entries(settings.lanes)) rules[id] = { ...r, expectedDevices: r.expectedDevices ?? rules[id]?.expectedDevices ?? [] };
  return { ...settings, lanes: rules };
}

/** Rules for a lane the config does not describe: the defaults, with no expected devices. */
export function laneRules(config: CorrelationConfig, lane: string): LaneRules {
  return config.lanes[lane] ?? { expectedDevices: [], windowS: config.windowS, closeAfterS: config.closeAfterS, cases: true };
}
