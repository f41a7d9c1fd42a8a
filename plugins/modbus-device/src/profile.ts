import type { Framing, RegisterType, WordOrder } from '@customs-hub/modbus-link';
import type { AlarmCategory } from '@customs-hub/sdk';
import type { WeighingRule } from './weighing.js';

/** The four Modbus data tables and the function code that reads each. */
export type Table = 'coil' | 'discrete' | 'holding' | 'input';
export const TABLE_FUNCTION: Readonly<Record<Table, 1 | 2 | 3 | 4>> = { coil: 1, discrete: 2, holding: 3, input: 4 };

/** Observation kinds a profile can produce. */
export type ProfileKind = 'radiation.dose-rate' | 'weight' | 'telemetry';
export const PROFILE_KINDS: readonly ProfileKind[] = ['radiation.dose-rate', 'weight', 'telemetry'];

/** One value the device exposes, and where it goes in the observation. */
export interface RegisterDef {
  name: string;
  table: Table;
  address: number;
  /** 'bool' for coils and discrete inputs; a numeric type for registers. */
  type: RegisterType | 'bool';
  wordOrder: WordOrder;
  scale: number;
  offset: number;
  /** For a flag packed in a u16 register: which bit (0 = least significant). */
  bit?: number;
  unit?: string;
  /** 'payload.<key>' or 'extensions.<key>'; absent: telemetry value (telemetry) or extension (other kinds). */
  field: { target: 'payload' | 'extensions' | 'values'; key: string };
  /** Simulator hint for values no scenario models: a plausible range. */
  simulate?: { min: number; max: number };
}

/** A rule that raises an alarm from a decoded value. */
export interface AlarmRule {
  register: string;
  above?: number;
  below?: number;
  equals?: number | boolean;
  category: AlarmCategory;
  level: 'info' | 'warning' | 'alarm';
  message?: string;
}

/** A validated device profile. */
export interface Profile {
  /** The file it was read from. */
  file: string;
  name: string;
  description?: string;
  manufacturer?: string;
  model?: string;
  kind: ProfileKind;
  pollIntervalMs: number;
  unitId: number;
  framing: Framing;
  registers: RegisterDef[];
  alarms: AlarmRule[];
  /** A weight profile with this reports one weighing per vehicle instead of every poll. */
  weighing?: WeighingRule;
}

/** Whether a register yields a boolean (coil, discrete input, or a bit of a register). */
export function isFlag(r: RegisterDef): boolean {
  return r.type === 'bool' || r.bit !== undefined;
}
