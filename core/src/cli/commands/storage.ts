import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfigFile } from '../../config/load-config.js';
import { Pruner } from '../../retention/pruner.js';
import { formatStorageReport, storageReport } from '../../retention/storage-report.js';
import { openDatabase, type Database } from '../../storage/database.js';
import { GroupCommitWriter } from '../../storage/group-commit-writer.js';
import { createLogger } from '../../util/logger.js';
import { fail } from '../fail.js';
import { runningHubPid } from './hub-running.js';

const configOption = ['-c, --config <file>', 'checkpoint config (YAML)', 'config/demo.yaml'] as const;

async function withStorage<T>(file: string, fn: (db: Database, config: ReturnType<typeof loadConfigFile>['config']) => Promise<T>): Promise<T> {
  const { config } = loadConfigFile(file);
  const db = await openDatabase(config.storage.url);
  try {
    return await fn(db, config);
  } finally {
    await db.close();
  }
}

/** `customs-hub storage report|prune|compact`: what the hub stores, what retention deletes and why. */
export function registerStorage(program: Command): void {
  const storage = program.command('storage').description('space by kind of data, retention, and compaction');

  storage
    .command('report')
    .description('space by kind of data, oldest and newest, what retention has due now (read-only; safe while the hub runs)')
    .option(...configOption)
    .option('--json', 'print the report as JSON')
    .action(async (opts: { config: string; json?: boolean }) => {
      try {
        const r = await withStorage(opts.config, (db, config) => storageReport(db, config));
        process.stdout.write(`${opts.json ? JSON.stringify(r, null, 2) : formatStorageReport(r)}\n`);
      } catch (err) {
        fail(err);
      }
    });

  storage
    .command('prune')
    .description(
      'delete what retention has due now; --dry-run says what would go and why. A running hub prunes by itself, so without --dry-run the hub must be stopped',
    )
    .option(...configOption)
    .option('--dry-run', 'only say what would be deleted and why')
    .option('--json', 'print as JSON')
    .action(async (opts: { config: string; dryRun?: boolean; json?: boolean }) => {
      try {
        await withStorage(opts.config, async (db, config) => {
          if (opts.dryRun) {
            const r = await storageReport(db, config);
            process.stdout.write(`${opts.json ? JSON.stringify(r.kinds, null, 2) : formatStorageReport(r, true)}\n`);
            return;
          }
          const pid = runningHubPid(config.dataDir);
          if (pid)
            throw new Error(
              `the hub is running (pid ${pid}) and prunes by itself every ${config.retention.intervalMs / 1000} s (early when the disk runs low); stop it to prune from here, or use --dry-run`,
            );
          const writer = new GroupCommitWriter(db, config.checkpoint.id, {
            maxRows: config.storage.batchMaxRows,
            maxDelayMs: 0,
            queueLimit: config.storage.queueLimit,
          });
          await writer.init();
          const logger = createLogger(config.logging.level === 'silent' ? 'silent' : 'warn');
          const result = await new Pruner({ db, writer, config: () => config, rawDir: join(config.dataDir, 'raw'), logger }).runOnce('command line');
          await writer.close();
          process.stdout.write(
            opts.json
              ? `${JSON.stringify(result, null, 2)}\n`
              : `${Object.entries(result.deleted)
                  .map(([k, n]) => `${k}: deleted ${n}`)
                  .join(
                    '\n',
                  )}\nraw files freed ${(result.freedBytes / 1048576).toFixed(1)} MB; ${result.vacuumedPages} database pages returned; ${result.horizon.note}\n`,
          );
        });
      } catch (err) {
        fail(err);
      }
    });

  storage
    .command('compact')
    .description(
      "SQLite: rebuild the database file (VACUUM) and switch it to incremental auto-vacuum, so retention returns space to the disk; needs the hub stopped and free space of the database's size",
    )
    .option(...configOption)
    .action(async (opts: { config: string }) => {
      try {
        await withStorage(opts.config, async (db, config) => {
          const pid = runningHubPid(config.dataDir);
          if (pid) throw new Error(`the hub is running (pid ${pid}); stop it first`);
          if (db.dialect !== 'sqlite') {
            process.stdout.write(
              'PostgreSQL reclaims space with autovacuum; nothing to do (VACUUM FULL needs an exclusive lock: run it in a maintenance window if you must)\n',
            );
            return;
          }
          const size = async () => {
            const [p, s] = await Promise.all([db.knex.raw('PRAGMA page_count'), db.knex.raw('PRAGMA page_size')]);
            return p[0].page_count * s[0].page_size;
          };
          const before = await size();
          await db.knex.raw('PRAGMA auto_vacuum = INCREMENTAL');
          await db.knex.raw('VACUUM');
          const mode = (await db.knex.raw('PRAGMA auto_vacuum'))[0].auto_vacuum;
          process.stdout.write(
            `database ${(before / 1048576).toFixed(1)} MB → ${((await size()) / 1048576).toFixed(1)} MB; auto_vacuum ${['none', 'full', 'incremental'][mode]}\n`,
          );
        });
      } catch (err) {
        fail(err);
      }
    });
}
