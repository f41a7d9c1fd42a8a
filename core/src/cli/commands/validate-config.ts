import type { Command } from 'commander';
import { loadPlugins } from '../../bootstrap.js';
import { loadConfigFile } from '../../config/load-config.js';
import { fail } from '../fail.js';

export function registerValidateConfig(program: Command): void {
  program.command('validate-config <file>')
    .description('check a checkpoint config and its device configs without starting anything')
    .action((file: string) => {
      try {
        const { config, source } = loadConfigFile(file);
        const plugins = loadPlugins(config, { source });
        const missing = config.devices.filter((d) => !plugins.get(d.plugin));
        for (const d of missing) process.stderr.write(`warning: ${d.origin}: device ${d.id}: ${plugins.whyMissing(d.plugin)}\n`);
        process.stdout.write(`${file}: valid — checkpoint ${config.checkpoint.id}, ${config.lanes.length} lane(s), ${config.devices.length} device(s)\n`);
        if (missing.length > 0) process.exitCode = 1;
      } catch (err) {
        fail(err);
      }
    });
}
