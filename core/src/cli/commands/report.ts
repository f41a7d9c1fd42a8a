import type { Command } from 'commander';
import { CaseStore } from '../../cases/case-store.js';
import { loadConfigFile } from '../../config/load-config.js';
import { formatOutcomes, outcomesReport } from '../../scoring/outcomes-report.js';
import { openDatabase } from '../../storage/database.js';
import { fail } from '../fail.js';

export function registerReport(program: Command): void {
  const report = program.command('report').description("reports from the hub's database");
  report
    .command('outcomes')
    .description('referral rate, hit rate and share of violations flagged, per policy (live and shadow) and per scorer')
    .option('-c, --config <file>', 'the checkpoint config (its storage is read)', 'config/demo.yaml')
    .option('--since <time>', 'only cases opened at or after this ISO time')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { config: string; since?: string; json?: boolean }) => {
      if (opts.since !== undefined && Number.isNaN(Date.parse(opts.since)))
        fail(new Error(`--since '${opts.since}' is not an ISO time (e.g. 2026-03-01T00:00:00Z)`));
      let db;
      try {
        const { config } = loadConfigFile(opts.config);
        db = await openDatabase(config.storage.url);
        const cases = await new CaseStore(db, config.checkpoint.id).scored(opts.since);
        const r = outcomesReport(cases, config.scoring.policy.thresholds.yellow);
        process.stdout.write(`${opts.json ? JSON.stringify(r, null, 2) : formatOutcomes(r)}\n`);
      } catch (err) {
        fail(err);
      } finally {
        await db?.close();
      }
    });
}
