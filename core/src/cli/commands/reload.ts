import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadPlugins } from '../../bootstrap.js';
import { describeDiff, diffConfig } from '../../config/diff-config.js';
import { loadConfigFile } from '../../config/load-config.js';
import type { HubConfig } from '../../config/types.js';
import { fail } from '../fail.js';

export function registerReload(program: Command): void {
  program
    .command('reload')
    .description('validate a config, show what would change in the running hub, and apply it (SIGHUP)')
    .option('-c, --config <file>', 'checkpoint config (YAML)', 'config/demo.yaml')
    .option('--dry-run', 'only show what would change')
    .action((opts: { config: string; dryRun?: boolean }) => {
      try {
        const { config, source } = loadConfigFile(opts.config);
        loadPlugins(config, { source });
        let running: HubConfig;
        let pid: number;
        try {
          running = JSON.parse(readFileSync(join(config.dataDir, 'running-config.json'), 'utf8'));
          pid = Number(readFileSync(join(config.dataDir, 'hub.pid'), 'utf8'));
        } catch {
          throw new Error(`no running hub found in ${config.dataDir} (hub.pid and running-config.json)`);
        }
        process.stdout.write(`${describeDiff(diffConfig(running, config))}\n`);
        if (opts.dryRun) return;
        process.kill(pid, 'SIGHUP');
        process.stdout.write(`sent SIGHUP to hub (pid ${pid}); it validates the file again before applying it\n`);
      } catch (err) {
        fail(err);
      }
    });
}
