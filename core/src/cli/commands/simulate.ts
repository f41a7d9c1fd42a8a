import type { Command } from 'commander';
import { PluginRegistry } from '../../plugins/plugin-registry.js';
import { parseSimulatorOptions } from '../../plugins/simulator-options.js';
import { createLogger } from '../../util/logger.js';

/** `customs-hub simulate <name> [options]`: one subcommand per simulator any plugin exports. */
export function registerSimulate(program: Command): void {
  const simulate = program.command('simulate').description('run a device simulator that speaks the real protocol');
  const registry = PluginRegistry.discover({});
  for (const p of registry.loadAll().plugins.values()) {
    for (const def of p.simulators) {
      const cmd = simulate.command(def.name).description(`${def.description} (plugin ${p.name})`);
      for (const o of def.options) cmd.option(o.flags, o.description, o.default as string | boolean | undefined);
      cmd.action(async (opts: Record<string, unknown>) => {
        const logger = createLogger(process.env.HUB_LOG_LEVEL ?? 'info');
        const sim = await def.start(parseSimulatorOptions(def, opts), logger);
        process.stdout.write(`${sim.describe()}\n(Ctrl-C to stop)\n`);
        const stop = () => {
          sim.stop().then(
            () => process.exit(0),
            (err: unknown) => {
              process.stderr.write(`customs-hub: simulator did not stop cleanly: ${(err as Error).message}\n`);
              process.exit(1);
            },
          );
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    }
  }
}
