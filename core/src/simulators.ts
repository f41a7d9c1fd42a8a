import type { RunningSimulator, SimulatorDefinition } from '@customs-hub/sdk';
import type { HubConfig } from './config/types.js';
import type { PluginRegistry } from './plugins/plugin-registry.js';
import { parseSimulatorOptions } from './plugins/simulator-options.js';
import type { Logger } from './util/logger.js';

/** Simulators started, and among them those playing a device of a twin lane (by device id). */
export interface StartedSimulators {
  running: RunningSimulator[];
  byDevice: Map<string, RunningSimulator>;
}

/**
 * Starts the simulators a (demo) config lists, before the devices that talk to them. A simulator that
 * plays a device of a lane the lane twin runs is started with `traffic: driven`: it reports only the
 * vehicles the twin hands it.
 */
export async function startSimulators(config: HubConfig, plugins: PluginRegistry, logger: Logger): Promise<StartedSimulators> {
  const running: RunningSimulator[] = [];
  const byDevice = new Map<string, RunningSimulator>();
  const twinLanes = new Set(config.twin?.lanes ?? []);
  const laneOf = new Map(config.lanes.flatMap((l) => l.devices.map((d) => [d, l.id] as const)));
  for (const s of config.simulators) {
    const def = plugins.get(s.plugin)?.simulators.find((d) => d.name === s.simulator);
    if (!def) {
      logger.error({ plugin: s.plugin, simulator: s.simulator }, 'simulator not found; its devices will report failures');
      continue;
    }
    const driven = s.device !== undefined && twinLanes.has(laneOf.get(s.device) ?? '');
    try {
      const options = parseSimulatorOptions(def, { ...(s.options ?? {}), ...(driven ? drivenOptions(def) : {}) });
      const sim = await def.start(options, logger.child({ simulator: s.simulator }));
      logger.info({ simulator: s.simulator, ...(s.device ? { device: s.device } : {}) }, sim.describe());
      running.push(sim);
      if (driven) byDevice.set(s.device!, sim);
    } catch (err) {
      logger.error({ simulator: s.simulator, err }, 'simulator failed to start');
    }
  }
  return { running, byDevice };
}

/** How a simulator is told to make no traffic of its own: `traffic: driven`, or (identity readers) `intervalS: 0`. */
function drivenOptions(def: SimulatorDefinition): Record<string, unknown> {
  const has = (flag: string) => def.options.some((o) => o.flags.startsWith(flag));
  if (has('--traffic')) return { traffic: 'driven' };
  if (has('--interval-s')) return { intervalS: 0 };
  return {};
}
