import type { AdminState } from '@customs-hub/sdk';
import type { ApiConfig } from '../api/api-config.js';
import type { OutboxConfig } from '../outbox/outbox-config.js';
import type { ScoringConfig } from '../scoring/scoring-config.js';
import type { DemoTrafficConfig } from './sections/demo-traffic.js';
import type { HttpConfig } from './sections/http.js';
import type { LoggingConfig } from './sections/logging.js';
import type { PluginPackageConfig } from './sections/plugins.js';
import type { SimulatorConfig } from './sections/simulators.js';
import type { StorageConfig } from './sections/storage.js';
import type { SupervisorConfig } from './sections/supervisor.js';
import type { TwinConfig } from '../twin/twin-config.js';
import type { AuditConfig } from '../audit/audit-config.js';
import type { SecurityConfig } from '../auth/security-config.js';
import type { RetentionConfig } from '../retention/retention-config.js';

export type {
  ApiConfig,
  DemoTrafficConfig,
  HttpConfig,
  LoggingConfig,
  OutboxConfig,
  PluginPackageConfig,
  ScoringConfig,
  SimulatorConfig,
  StorageConfig,
  SupervisorConfig,
  TwinConfig,
  RetentionConfig,
};

export interface DeviceConfig {
  id: string;
  plugin: string;
  name?: string;
  lane: string | null;
  isolation: 'worker' | 'in-process';
  group: string;
  adminState: AdminState;
  config: Record<string, unknown>;
  /** Where the device is declared, for error messages ("config/demo.yaml:31"). */
  origin: string;
  /** JSON pointer of the device in the config document. */
  pointer: string;
}

export interface LaneConfig {
  id: string;
  name?: string;
  type?: string;
  devices: string[];
}

/**
 * A checkpoint config, validated, with defaults and environment overrides applied: parsed once by
 * load-config, every section typed (each one's parse is in `config/sections/index.ts`).
 */
export interface HubConfig {
  file: string | null;
  checkpoint: { id: string; name?: string; timezone?: string };
  dataDir: string;
  lanes: LaneConfig[];
  devices: DeviceConfig[];
  storage: StorageConfig;
  http: HttpConfig;
  logging: LoggingConfig;
  supervisor: SupervisorConfig;
  plugins: PluginPackageConfig[];
  simulators: SimulatorConfig[];
  scoring: ScoringConfig;
  demoTraffic: DemoTrafficConfig | null;
  twin: TwinConfig | null;
  api: ApiConfig;
  outbox: OutboxConfig;
  audit: AuditConfig;
  security: SecurityConfig;
  retention: RetentionConfig;
}

/** The keys parsed by a feature's section; the rest (checkpoint, data dir, lanes, devices) by load-config itself. */
export type SectionKey = Exclude<keyof HubConfig, 'file' | 'checkpoint' | 'dataDir' | 'lanes' | 'devices'>;
