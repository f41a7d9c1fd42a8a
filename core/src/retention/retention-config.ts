import type { CaseState } from '@customs-hub/sdk';
import type { ConfigSection } from '../util/config-section.js';
import { periodMs, periodSchema, type Period } from './duration.js';

/** A raw-file rule: files of observations of this kind (and/or with this role) are kept this long. First match wins. */
export interface RawRule {
  kind?: string;
  role?: string;
  keep: Period;
}

/** Free-space watermarks of the data directory's file system. */
export interface DiskWatermarks {
  /** Below this: health degraded, a feed event, the pruner runs early. */
  lowFreeBytes: number;
  /** Below this: raw files are refused (uploads 507, drivers a retryable error); observations still flow. */
  criticalFreeBytes: number;
  checkIntervalMs: number;
}

/** The checkpoint YAML `retention:` section, with its safe defaults. */
export interface RetentionConfig {
  enabled: boolean;
  /** Cases with their decisions, and audit entries: kept this long after their last change. */
  legalPeriod: Period;
  observations: Period;
  feedEvents: Period;
  deadLetters: Period;
  rawFiles: { default: Period; orphans: Period; rules: RawRule[] };
  /** HTTP feed consumers (PUT /api/v1/feed/cursors/{name}) that must have read a record before it may go. */
  consumers: string[];
  /** When true (default), nothing on the feed goes before every broker target and consumer acknowledged it. */
  requireAcknowledgement: boolean;
  /** Nothing of a case in one of these states is deleted. */
  protectCaseStates: CaseState[];
  intervalMs: number;
  batchRows: number;
  /** Pause between batches, so ingest always gets the writer in between. */
  batchPauseMs: number;
  disk: DiskWatermarks;
}

const CASE_STATES = ['open', 'closed', 'scored', 'referred', 'inspected', 'released'];
const consumerName = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' };

export const retentionConfigSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'Data lifecycle: how long each kind of data is kept, and the disk watermarks; see docs/operations.md.',
  properties: {
    enabled: { type: 'boolean' },
    legalPeriod: { ...periodSchema, description: 'cases and decisions, audit entries (at least 1y)' },
    observations: periodSchema,
    feedEvents: periodSchema,
    deadLetters: periodSchema,
    rawFiles: {
      type: 'object',
      additionalProperties: false,
      properties: {
        default: periodSchema,
        orphans: periodSchema,
        rules: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['keep'],
            anyOf: [{ required: ['kind'] }, { required: ['role'] }],
            properties: { kind: { type: 'string', minLength: 1 }, role: { type: 'string', minLength: 1 }, keep: periodSchema },
          },
        },
      },
    },
    consumers: { type: 'array', items: consumerName, uniqueItems: true },
    requireAcknowledgement: { type: 'boolean' },
    protectCaseStates: { type: 'array', items: { enum: CASE_STATES }, uniqueItems: true },
    intervalS: { type: 'number', minimum: 1 },
    batchRows: { type: 'integer', minimum: 10, maximum: 5000 },
    batchPauseMs: { type: 'integer', minimum: 0, maximum: 10000 },
    disk: {
      type: 'object',
      additionalProperties: false,
      properties: {
        lowFreeMb: { type: 'number', minimum: 0 },
        criticalFreeMb: { type: 'number', minimum: 0 },
        checkIntervalS: { type: 'number', minimum: 0.1 },
      },
    },
  },
} as const;

const MB = 1024 * 1024;
const LEGAL_MINIMUM_MS = periodMs('1y');

/** The section with defaults; a legal period under a year or watermarks in the wrong order are errors. */
export function parseRetentionConfig(raw: Record<string, any> | undefined): RetentionConfig {
  const r = raw ?? {};
  const config: RetentionConfig = {
    enabled: r.enabled ?? true,
    legalPeriod: r.legalPeriod ?? '10y',
    observations: r.observations ?? '90d',
    feedEvents: r.feedEvents ?? '90d',
    deadLetters: r.deadLetters ?? '30d',
    rawFiles: { default: r.rawFiles?.default ?? '30d', orphans: r.rawFiles?.orphans ?? '24h', rules: r.rawFiles?.rules ?? [] },
    consumers: r.consumers ?? [],
    requireAcknowledgement: r.requireAcknowledgement ?? true,
    protectCaseStates: r.protectCaseStates ?? ['open', 'closed', 'scored', 'referred', 'inspected'],
    intervalMs: Math.round((r.intervalS ?? 600) * 1000),
    batchRows: r.batchRows ?? 500,
    batchPauseMs: r.batchPauseMs ?? 20,
    disk: {
      lowFreeBytes: Math.round((r.disk?.lowFreeMb ?? 2048) * MB),
      criticalFreeBytes: Math.round((r.disk?.criticalFreeMb ?? 512) * MB),
      checkIntervalMs: Math.round((r.disk?.checkIntervalS ?? 10) * 1000),
    },
  };
  if (periodMs(config.legalPeriod) < LEGAL_MINIMUM_MS)
    throw new Error(`retention.legalPeriod ${config.legalPeriod} is shorter than a year; decisions and audit entries are kept for the legal period`);
  if (config.disk.criticalFreeBytes > config.disk.lowFreeBytes) throw new Error('retention.disk.criticalFreeMb must not be above lowFreeMb');
  if (!config.protectCaseStates.includes('open') || !config.protectCaseStates.includes('referred')) {
    throw new Error('retention.protectCaseStates must include open and referred: nothing of an open or referred case is deleted');
  }
  return config;
}

/** The raw-file period for a file of an observation of this kind and role. */
export function rawPeriod(config: RetentionConfig, kind: string, role: string | null): Period {
  const rule = config.rawFiles.rules.find((x) => (x.kind === undefined || x.kind === kind) && (x.role === undefined || x.role === role));
  return rule?.keep ?? config.rawFiles.default;
}

/** `retention:` — the data lifecycle; a problem the schema cannot see (order of watermarks) is an error naming the section. */
export const retentionSection: ConfigSection<RetentionConfig> = { schema: retentionConfigSchema, parse: (raw) => parseRetentionConfig(raw) };
