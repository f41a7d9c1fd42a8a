import type { ConfigSection } from '../util/config-section.js';

/** The `twin:` section: the lane twin drives the simulators of these lanes from one vehicle schedule per lane. */
export interface TwinConfig {
  /** Lanes the twin runs; each simulator entry naming a `device:` of one of them is driven. */
  lanes: string[];
  seed: number;
  /** Mean seconds between vehicles on a lane (never closer than the lane's slowest device allows). */
  intervalS: number;
  /** Each vehicle's declaration is POSTed to /api/v1/declarations this long before it arrives. */
  preArrivalS: number;
  /** Share of readings a device misses on its own (besides the traffic's dropped devices). */
  dropoutRate: number;
  /** Each device reads a vehicle up to this many seconds later than its usual place in the lane. */
  jitterS: number;
  /** Share of plates the plate reader gets one character wrong. */
  plateMisreadRate: number;
  /** Share of trucks carrying two 20-ft containers under one plate. */
  twin20Rate: number;
  /** Vehicles already on their way when the twin starts: the demo opens on a busy lane. */
  warmUpVehicles: number;
  /** Scales where devices stand in the lane and how long vehicles stay (below 1: a shorter lane, for tests). */
  pace: number;
  /** Stop scheduling after this many vehicles (0: run as long as the hub); benchmarks and tests. */
  vehicleLimit: number;
}

export function twinConfigOf(raw: Record<string, unknown> | undefined | null): TwinConfig | null {
  if (!raw) return null;
  return {
    lanes: (raw.lanes as string[] | undefined) ?? [],
    seed: (raw.seed as number | undefined) ?? 1,
    intervalS: (raw.intervalS as number | undefined) ?? 40,
    preArrivalS: (raw.preArrivalS as number | undefined) ?? 60,
    dropoutRate: (raw.dropoutRate as number | undefined) ?? 0.01,
    jitterS: (raw.jitterS as number | undefined) ?? 1.5,
    plateMisreadRate: (raw.plateMisreadRate as number | undefined) ?? 0.03,
    twin20Rate: (raw.twin20Rate as number | undefined) ?? 0.15,
    warmUpVehicles: (raw.warmUpVehicles as number | undefined) ?? 1,
    pace: (raw.pace as number | undefined) ?? 1,
    vehicleLimit: (raw.vehicleLimit as number | undefined) ?? 0,
  };
}

const rate = { type: 'number', minimum: 0, maximum: 1 };

export const twinConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['lanes'],
  description: 'The lane twin (docs/lanes.md): one vehicle schedule per lane drives every simulator of the lane that names its device.',
  properties: {
    lanes: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1, maxLength: 64 } },
    seed: { type: 'integer', minimum: 0 },
    intervalS: { type: 'number', minimum: 5, maximum: 86400 },
    preArrivalS: { type: 'number', minimum: 0, maximum: 86400 },
    dropoutRate: rate,
    plateMisreadRate: rate,
    twin20Rate: rate,
    jitterS: { type: 'number', minimum: 0, maximum: 60 },
    warmUpVehicles: { type: 'integer', minimum: 0, maximum: 20 },
    pace: { type: 'number', minimum: 0.1, maximum: 10 },
    vehicleLimit: { type: 'integer', minimum: 0 },
  },
} as const;

/** `twin:` — the lane twin (docs/lanes.md). */
export const twinSection: ConfigSection<TwinConfig | null> = { schema: twinConfigSchema, parse: (raw) => twinConfigOf(raw) };
