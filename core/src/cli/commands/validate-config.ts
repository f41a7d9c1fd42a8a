import type { Command } from 'commander';
import { loadPlugins } from '../../bootstrap.js';
import { loadConfigFile } from '../../config/load-config.js';
import { fail } from '../fail.js';

/** One verdict, matching the exit code: valid (0), or invalid with every reason (1). */
export function registerValidateConfig(program: Command): void {
  program
    .command('validate-config <file>')
    .description('check a checkpoint config and its device configs without starting anything')
    .action((file: string) => {
      try {
        const { config, source } = loadConfigFile(file);
        const plugins = loadPlugins(config, { source });
        const missing = config.devices.filter((d) => !plugins.get(d.plugin));
        const summary = `checkpoint ${config.checkpoint.id}, ${config.lanes.length} lane(s), ${config.devices.length} device(s)`;
        if (missing.length === 0) {
          process.stdout.write(`${file}: valid — ${summary}\n`);
          return;
        }
        for (const d of missing) process.stderr.write(`${d.origin}: device ${d.id}: ${plugins.whyMissing(d.plugin)}\n`);
        process.stderr.write(`${file}: invalid — ${missing.length} device(s) with no usable plugin (${summary})\n`);
        process.exitCode = 1;
      } catch (err) {
        fail(err);
      }
    });
}
