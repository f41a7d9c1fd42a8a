import type { Command } from 'commander';
import { RejectedInputError } from '@customs-hub/sdk';
import { PluginRegistry } from '../../plugins/plugin-registry.js';
import { createLogger } from '../../util/logger.js';
import { inspectFile } from '../inspect-file.js';

export function registerInspect(program: Command): void {
  program.command('inspect <file>')
    .description('print, as JSON lines, the observations a device file would produce, storing nothing')
    .option('--plugin <name>', 'the plugin that reads the file (default: the first that accepts it)')
    .action(async (file: string, opts: { plugin?: string }) => {
      try {
        const { plugin, observations } = await inspectFile(file, PluginRegistry.discover({}), createLogger('warn', process.stderr), opts.plugin);
        for (const obs of observations) process.stdout.write(`${JSON.stringify(obs)}\n`);
        process.stderr.write(`${file}: ${observations.length} observation(s) by plugin ${plugin}\n`);
      } catch (err) {
        const reason = err instanceof RejectedInputError ? err.reason : (err as Error).message;
        process.stderr.write(`customs-hub: rejected ${file}: ${reason}\n`);
        process.exitCode = 2;
      }
    });
}
