import type { Command } from 'commander';
import { PluginRegistry } from '../../plugins/plugin-registry.js';

export function registerPlugins(program: Command): void {
  program
    .command('plugins')
    .description('list the device plugins the hub can load, with versions and observation kinds')
    .option('--package <name...>', 'also load these installed plugin packages')
    .option('--json', 'print JSON')
    .action((opts: { package?: string[]; json?: boolean }) => {
      const registry = PluginRegistry.discover({ packages: opts.package ?? [] });
      const list = [...registry.loadAll().plugins.values()].map((p) => ({
        name: p.name,
        version: p.version,
        package: p.packageName,
        kinds: p.kinds,
        simulators: p.simulators.map((s) => s.name),
        files: Boolean(p.plugin.files),
      }));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ plugins: list, refused: registry.refused }, null, 2)}\n`);
      } else {
        for (const p of list)
          process.stdout.write(
            `${p.name}@${p.version}  ${p.package}\n  kinds: ${p.kinds.join(', ')}${p.simulators.length ? `\n  simulators: ${p.simulators.join(', ')}` : ''}\n`,
          );
        for (const r of registry.refused) process.stdout.write(`REFUSED ${r.source}: ${r.reason}\n`);
        process.stdout.write(`${list.length} plugin(s) loaded, ${registry.refused.length} refused\n`);
      }
      if (registry.refused.length > 0) process.exitCode = 1;
    });
}
