import type { Logger } from './context.js';

/** One command-line option of a simulator, in commander's flag syntax ("--port <n>"). */
export interface SimulatorOption {
  flags: string;
  description: string;
  default?: string | number | boolean;
  /** The value's type; taken from `default` when absent, else string. The hub converts CLI strings and YAML values alike. */
  type?: 'string' | 'number' | 'integer' | 'boolean';
}

/** A running simulator: what it listens on, and how to stop it. */
export interface RunningSimulator {
  /** One line for the console: what it serves and where ("rpm ascii on 127.0.0.1:1601"). */
  describe(): string;
  stop(): Promise<void>;
}

/**
 * A device simulator that speaks the real protocol, so demos, tests and vendors run without hardware.
 * Plugins export them as `simulators`; `customs-hub simulate <name>` and a config's `simulators:` run them.
 * Started with the option `traffic: 'driven'`, a simulator that supports it returns a `DrivenSimulator`
 * (lane-twin.ts) and reports only the vehicles the lane twin hands it.
 */
export interface SimulatorDefinition {
  readonly type: 'customs-hub/simulator';
  name: string;
  description: string;
  options: SimulatorOption[];
  /** Options arrive typed (the hub parses command line and config the same way), keyed by camelCased flag names. */
  start(options: Record<string, unknown>, logger: Logger): Promise<RunningSimulator>;
}

export function defineSimulator(definition: Omit<SimulatorDefinition, 'type'>): SimulatorDefinition {
  if (!definition.name) throw new TypeError('defineSimulator: name is required');
  if (typeof definition.start !== 'function') throw new TypeError(`defineSimulator(${definition.name}): start is required`);
  return Object.freeze({ type: 'customs-hub/simulator' as const, ...definition });
}
