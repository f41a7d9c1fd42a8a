import type { Command } from 'commander';
import { loadConfigFile } from '../../config/load-config.js';
import { backup, restore } from '../../retention/backup.js';
import { fail } from '../fail.js';
import { runningHubPid } from './hub-running.js';

const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;

/** `customs-hub backup --to DIR` (while the hub runs) and `customs-hub restore --from DIR` (hub stopped). */
export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('consistent online backup of the database and the raw files its rows reference, while the hub runs (SQLite: VACUUM INTO; PostgreSQL: pg_dump)')
    .requiredOption('--to <dir>', 'an empty or new directory')
    .option('-c, --config <file>', 'checkpoint config (YAML)', 'config/demo.yaml')
    .action(async (opts: { to: string; config: string }) => {
      try {
        const { config } = loadConfigFile(opts.config);
        const m = await backup(config, opts.to);
        process.stdout.write(
          `backup of ${m.checkpoint} in ${opts.to}: ${m.dialect} database ${m.database} through feed seq ${m.feedHead}, ${m.raw.files} raw files (${mb(m.raw.bytes)})\n`,
        );
        if (m.raw.missing.length > 0)
          process.stderr.write(
            `${m.raw.missing.length} raw files named by the copy were deleted by retention meanwhile and are not in it (listed in manifest.json)\n`,
          );
      } catch (err) {
        fail(err);
      }
    });

  program
    .command('restore')
    .description("bring a stopped hub back from a backup: database and raw files into the config's storage and data directory")
    .requiredOption('--from <dir>', 'a directory made by customs-hub backup')
    .option('-c, --config <file>', 'checkpoint config (YAML)', 'config/demo.yaml')
    .option('--force', 'replace an existing database, or restore a backup of another checkpoint')
    .action(async (opts: { from: string; config: string; force?: boolean }) => {
      try {
        const { config } = loadConfigFile(opts.config);
        const pid = runningHubPid(config.dataDir);
        if (pid) throw new Error(`the hub is running (pid ${pid}); stop it before restoring`);
        const r = await restore(config, opts.from, { force: opts.force });
        process.stdout.write(
          `restored ${r.checkpoint} from ${opts.from} (taken ${r.createdAt}): feed through seq ${r.feedHead}, ${r.restoredRaw} raw files copied\n`,
        );
      } catch (err) {
        fail(err);
      }
    });
}
