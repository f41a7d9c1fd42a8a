import type { Command } from 'commander';
import { createHub } from '../../bootstrap.js';
import { loadConfigFile } from '../../config/load-config.js';
import { createDemoLogin, createDemoSupervisor } from '../../console/demo-login.js';
import { fail } from '../fail.js';
import { startSummary } from '../start-summary.js';
import { redactUrl } from '../../storage/database.js';

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run the hub for a checkpoint')
    .option('-c, --config <file>', 'checkpoint config (YAML)', 'config/demo.yaml')
    .option('--demo-login', 'create a fresh officer token for the console and print it (demo only)')
    .action(async (opts: { config: string; demoLogin?: boolean }) => {
      let started;
      try {
        const { config, source } = loadConfigFile(opts.config);
        started = await createHub(config, { source });
      } catch (err) {
        fail(err);
      }
      const { hub } = started;
      const shutdown = (signal: string) => {
        hub.logger.info({ signal }, 'shutting down');
        hub.stop().then(
          () => process.exit(0),
          (err) => {
            hub.logger.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.on('SIGHUP', () => {
        hub.reload().then(
          (r) => hub.logger.info({ summary: r.summary }, 'config reloaded'),
          (err) => hub.logger.error({ err: err.message }, 'config reload refused; nothing changed'),
        );
      });
      try {
        await hub.start();
      } catch (err) {
        hub.logger.error({ err }, 'hub failed to start');
        await hub.stop().catch(() => undefined);
        fail(err);
      }
      const storage = redactUrl(hub.currentConfig.storage.url);
      for (const line of startSummary(hub.currentConfig, hub.http.info.uri, storage)) process.stdout.write(`${line}\n`);
      if (opts.demoLogin) {
        const cp = hub.currentConfig.checkpoint.id;
        process.stdout.write(`  demo login (valid until the next start): ${await createDemoLogin(hub.db, cp)}\n`);
        process.stdout.write(`  demo supervisor login, the second person for four-eyes approvals: ${await createDemoSupervisor(hub.db, cp)}\n`);
      }
    });
}
