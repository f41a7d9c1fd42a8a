import type { RunningSimulator } from '@customs-hub/sdk';
import type { HubConfig } from './config/types.js';
import type { PluginRegistry } from './plugins/plugin-registry.js';
import { parseSimulatorOptions } from './plugins/simulator-options.js';
import type { Logger } from './util/logger.js';

/** Starts the simulators a (demo) config lists, before the devices that talk to them. */
export async function startSimulators(config: HubConfig, plugins: PluginRegistry, logger: Logger): Promise<RunningSimulator[]> {
  const running: RunningSimulator[] = [];
  for (const s of config.simulators) {
    const def = plugins.get(s.plugin)?.simulators.find((d) => d.name === s.simulator);
    if (!def) {
      logger.error({ plugin: s.plugin, simulator: s.simulator }, 'simulator not found; its devices will report failures');
      continue;
    }
    try {
      const sim = await def.start(parseSimulatorOptions(def, s.options ?? {}), logger.child({ simulator: s.simulator }));
      logger.info({ simulator: s.simulator }, sim.describe());
      running.push(sim);
    } catch (err) {
      logger.error({ simulator: s.simulator, err }, 'simulator failed to start');
    }
  }
  return running;
}
