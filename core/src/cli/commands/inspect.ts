import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { RejectedInputError } from '@customs-hub/sdk';
import { PluginRegistry } from '../../plugins/plugin-registry.js';
import { createLogger } from '../../util/logger.js';
import { inspectFile } from '../inspect-file.js';
import { startProgress } from '../progress.js';

/** The files named, a folder standing for every file under it (sorted, so a run is repeatable). */
export function inspectTargets(paths: string[]): string[] {
  return paths.flatMap((p) => {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      return [p]; // inspectFile says why it cannot be read
    }
    if (!isDir) return [p];
    return readdirSync(p, { recursive: true, encoding: 'utf8' })
      .map((f) => join(p, f))
      .filter((f) => statSync(f).isFile())
      .sort();
  });
}

export function registerInspect(program: Command): void {
  program
    .command('inspect <paths...>')
    .description('print, as JSON lines, the observations device files (or every file in a folder) would produce, storing nothing')
    .option('--plugin <name>', 'the plugin that reads the files (default: the first that accepts each)')
    .action(async (paths: string[], opts: { plugin?: string }) => {
      const files = inspectTargets(paths);
      const registry = PluginRegistry.discover({});
      const logger = createLogger('warn', process.stderr);
      const bar = startProgress({ format: 'inspecting [{bar}] {value}/{total} files | {file}', total: files.length, fields: { file: '' } });
      let rejected = 0;
      try {
        for (const [i, file] of files.entries()) {
          bar.update(i, { file });
          try {
            const { plugin, observations } = await inspectFile(file, registry, logger, opts.plugin);
            for (const obs of observations) bar.print(JSON.stringify(obs));
            bar.print(`${file}: ${observations.length} observation(s) by plugin ${plugin}`, process.stderr);
          } catch (err) {
            const reason = err instanceof RejectedInputError ? err.reason : (err as Error).message;
            bar.print(`customs-hub: rejected ${file}: ${reason}`, process.stderr);
            rejected++;
          }
        }
        bar.update(files.length, { file: '' });
      } finally {
        bar.stop();
      }
      if (files.length !== paths.length || files.length > 1)
        process.stderr.write(`${files.length} file(s): ${files.length - rejected} taken whole, ${rejected} rejected\n`);
      if (files.length === 0) process.stderr.write('customs-hub: no files to inspect\n');
      if (rejected > 0 || files.length === 0) process.exitCode = 2;
    });
}
