import type { JsonSchema } from '@customs-hub/sdk';
import { MAP_FIELDS, type RegisterMapOverrides } from './modbus/register-map.js';

/** One radiation portal monitor, as configured in a checkpoint's devices list. */
export interface RpmConfig {
  transport?: 'ascii' | 'modbus';
  host: string;
  port: number;
  /** Detector panels the portal has (4 on the common two-pillar portal). */
  panels?: number;
  connectTimeoutMs?: number;
  /** No line (ASCII) or no successful poll (Modbus) for this long: the link is rebuilt. */
  idleTimeoutS?: number;
  reconnect?: { initialMs?: number; maxMs?: number };
  gamma?: {
    /** Alarm when foreground exceeds BG + nSigma·√BG over ~1 s. Replaced by the device's SG1 when it sends one. */
    nSigma?: number;
    /** Take nSigma and fault levels from the device's setup messages (default true). */
    useDeviceSetup?: boolean;
  };
  neutron?: {
    /** Alarm when the 1-s neutron count summed over panels reaches this. */
    threshold?: number;
  };
  norm?: {
    /** NORM when the low/high window ratio drops by at least this fraction below background. */
    ratioDrop?: number;
  };
  background?: {
    /** Background messages averaged (running mean, then exponential with this span). */
    samples?: number;
    /** Report a background event when the tracked gamma background moves by this fraction. */
    changeFraction?: number;
  };
  ascii?: {
    /** Integration time of one GS/GA line (s). */
    scanIntervalS?: number;
    /** Integration time of one GB/GL/GH line (s): Rapiscan-style background is counts per second. */
    backgroundIntervalS?: number;
    /** Integration time of one NB/NS/NA line (s). */
    neutronIntervalS?: number;
  };
  modbus?: {
    unitId?: number;
    framing?: 'tcp' | 'rtu-over-tcp';
    /** How often the sample ring is read; it holds 8 samples, so keep this under 1.6 s. */
    pollIntervalMs?: number;
    timeoutMs?: number;
    /** Per-field overrides of the documented register map. */
    map?: RegisterMapOverrides;
  };
  /** An occupancy longer than this without its end message is closed and reported as timed out. */
  occupancyTimeoutS?: number;
  /** How often link statistics are emitted as telemetry. */
  statsIntervalS?: number;
}

/** RpmConfig with every default filled in. */
export type ResolvedConfig = Required<Omit<RpmConfig, 'reconnect' | 'gamma' | 'neutron' | 'norm' | 'background' | 'ascii' | 'modbus'>> & {
  reconnect: Required<NonNullable<RpmConfig['reconnect']>>;
  gamma: Required<NonNullable<RpmConfig['gamma']>>;
  neutron: Required<NonNullable<RpmConfig['neutron']>>;
  norm: Required<NonNullable<RpmConfig['norm']>>;
  background: Required<NonNullable<RpmConfig['background']>>;
  ascii: Required<NonNullable<RpmConfig['ascii']>>;
  modbus: Required<Omit<NonNullable<RpmConfig['modbus']>, 'map'>> & { map: RegisterMapOverrides };
};

export function resolveConfig(c: RpmConfig): ResolvedConfig {
  return {
    transport: c.transport ?? 'ascii',
    host: c.host,
    port: c.port,
    panels: c.panels ?? 4,
    connectTimeoutMs: c.connectTimeoutMs ?? 5000,
    idleTimeoutS: c.idleTimeoutS ?? 15,
    reconnect: { initialMs: c.reconnect?.initialMs ?? 500, maxMs: c.reconnect?.maxMs ?? 30000 },
    gamma: { nSigma: c.gamma?.nSigma ?? 8, useDeviceSetup: c.gamma?.useDeviceSetup ?? true },
    neutron: { threshold: c.neutron?.threshold ?? 10 },
    norm: { ratioDrop: c.norm?.ratioDrop ?? 0.15 },
    background: { samples: c.background?.samples ?? 50, changeFraction: c.background?.changeFraction ?? 0.1 },
    ascii: {
      scanIntervalS: c.ascii?.scanIntervalS ?? 0.2,
      backgroundIntervalS: c.ascii?.backgroundIntervalS ?? 1,
      neutronIntervalS: c.ascii?.neutronIntervalS ?? 1,
    },
    modbus: {
      unitId: c.modbus?.unitId ?? 1,
      framing: c.modbus?.framing ?? 'tcp',
      pollIntervalMs: c.modbus?.pollIntervalMs ?? 1000,
      timeoutMs: c.modbus?.timeoutMs ?? 1000,
      map: c.modbus?.map ?? {},
    },
    occupancyTimeoutS: c.occupancyTimeoutS ?? 120,
    statsIntervalS: c.statsIntervalS ?? 60,
  };
}

const positive = { type: 'number', exclusiveMinimum: 0 };
const fieldOverride = {
  type: 'object',
  additionalProperties: false,
  properties: {
    address: { type: 'integer', minimum: 0, maximum: 65535 },
    type: { enum: ['u16', 's16', 'u32', 's32', 'f32'] },
    wordOrder: { enum: ['big', 'little'] },
    scale: { type: 'number' },
    offset: { type: 'number' },
  },
};

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['host', 'port'],
  properties: {
    transport: { enum: ['ascii', 'modbus'] },
    host: { type: 'string', minLength: 1, maxLength: 255 },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    panels: { type: 'integer', minimum: 1, maximum: 16 },
    connectTimeoutMs: { type: 'integer', minimum: 100, maximum: 120000 },
    idleTimeoutS: { type: 'number', minimum: 0.5, maximum: 3600 },
    reconnect: {
      type: 'object',
      additionalProperties: false,
      properties: { initialMs: { type: 'integer', minimum: 10 }, maxMs: { type: 'integer', minimum: 10 } },
    },
    gamma: { type: 'object', additionalProperties: false, properties: { nSigma: positive, useDeviceSetup: { type: 'boolean' } } },
    neutron: { type: 'object', additionalProperties: false, properties: { threshold: positive } },
    norm: { type: 'object', additionalProperties: false, properties: { ratioDrop: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 } } },
    background: {
      type: 'object',
      additionalProperties: false,
      properties: { samples: { type: 'integer', minimum: 1, maximum: 100000 }, changeFraction: { type: 'number', exclusiveMinimum: 0 } },
    },
    ascii: {
      type: 'object',
      additionalProperties: false,
      properties: { scanIntervalS: positive, backgroundIntervalS: positive, neutronIntervalS: positive },
    },
    modbus: {
      type: 'object',
      additionalProperties: false,
      properties: {
        unitId: { type: 'integer', minimum: 0, maximum: 255 },
        framing: { enum: ['tcp', 'rtu-over-tcp'] },
        pollIntervalMs: { type: 'integer', minimum: 50, maximum: 60000 },
        timeoutMs: { type: 'integer', minimum: 50, maximum: 60000 },
        map: { type: 'object', additionalProperties: false, properties: Object.fromEntries(MAP_FIELDS.map((f) => [f, fieldOverride])) },
      },
    },
    occupancyTimeoutS: { type: 'number', minimum: 1, maximum: 86400 },
    statsIntervalS: { type: 'number', minimum: 0.1, maximum: 86400 },
  },
};
