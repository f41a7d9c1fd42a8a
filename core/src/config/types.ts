import type { AdminState } from '@customs-hub/sdk';
import type { RetentionConfig } from '../retention/retention-config.js';

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

export interface SupervisorConfig {
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  startTimeoutMs: number;
  stopTimeoutMs: number;
  restartInitialDelayMs: number;
  restartMaxDelayMs: number;
  offlineAfterFailures: number;
  probeIntervalMs: number;
  memoryLimitMb: number;
}

export interface LaneConfig { id: string; name?: string; type?: string; devices: string[] }

/** A checkpoint config, validated, with defaults and environment overrides applied. */
export interface HubConfig {
  file: string | null;
  checkpoint: { id: string; name?: string; timezone?: string };
  dataDir: string;
  storage: { url: string; batchMaxRows: number; batchMaxDelayMs: number; queueLimit: number };
  http: { host: string; port: number; [key: string]: unknown };
  logging: { level: string };
  supervisor: SupervisorConfig;
  plugins: Array<{ package: string }>;
  simulators: Array<{ plugin: string; simulator: string; options: Record<string, unknown> }>;
  lanes: LaneConfig[];
  devices: DeviceConfig[];
  scoring: Record<string, unknown>;
  demoTraffic: { lanes: string[]; intervalS: number; seed: number } | null;
  api: Record<string, unknown>;
  outbox: Record<string, unknown>;
  retention: RetentionConfig;
}
