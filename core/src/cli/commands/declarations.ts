import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfigFile } from '../../config/load-config.js';
import { importDeclarations, type ImportSummary } from '../../declarations/import/import-declarations.js';
import { loadMapping } from '../../declarations/import/mapping.js';
import { openDatabase } from '../../storage/database.js';
import { fail } from '../fail.js';
import { startProgress } from '../progress.js';

/** A progress bar over the bytes of the files (drawn only on a terminal). */
function progressBar(files: string[]): { update(file: number, bytes: number, rows: number): void; stop(): void } {
  const sizes = files.map((f) => statSync(f).size);
  const total = sizes.reduce((a, b) => a + b, 0);
  const bar = startProgress({ format: 'importing [{bar}] {percentage}% | {rows} rows | {file}', total, fields: { rows: 0, file: files[0] ?? '' } });
  return {
    update: (file, bytes, rows) => bar.update(sizes.slice(0, file).reduce((a, b) => a + b, 0) + bytes, { rows, file: files[file] ?? '' }),
    stop: () => bar.stop(),
  };
}

export function formatSummary(s: ImportSummary): string {
  const lines = [
    `${s.rows} rows read from ${s.files} file(s) in ${s.seconds.toFixed(1)} s (${Math.round(s.rows / Math.max(s.seconds, 1e-3))} rows/s): ${s.imported} declarations imported, ${s.outcomes} with an outcome, ${s.rejected} rejected`,
    ...s.rejections.map((r) => `  ${r.file}:${r.line}: ${r.reason}`),
  ];
  if (s.rejected > s.rejections.length) lines.push(`  … and ${s.rejected - s.rejections.length} more rejected`);
  return lines.join('\n');
}

export function registerDeclarations(program: Command): void {
  const cmd = program.command('declarations').description("declarations in the hub's database");
  cmd
    .command('import <files...>')
    .description('bulk-load historical declarations with their inspection outcomes (CSV or JSON lines, streamed; idempotent by number)')
    .option('-c, --config <file>', 'the checkpoint config (its storage is written)', 'config/demo.yaml')
    .option('-m, --mapping <file>', 'how columns map to Declaration v2 fields and the outcome (see config/mappings/)')
    .option('--json', 'print the summary as JSON')
    .action(async (files: string[], opts: { config: string; mapping?: string; json?: boolean }) => {
      let db;
      try {
        for (const f of files) statSync(f);
        const mapping = opts.mapping ? loadMapping(opts.mapping) : null;
        const { config } = loadConfigFile(opts.config);
        db = await openDatabase(config.storage.url);
        const bar = opts.json || !process.stderr.isTTY ? null : progressBar(files);
        const summary = await importDeclarations(files, { db, checkpoint: config.checkpoint.id, mapping, ...(bar ? { onProgress: bar.update } : {}) });
        bar?.stop();
        process.stdout.write(`${opts.json ? JSON.stringify(summary, null, 2) : formatSummary(summary)}\n`);
        await db.close();
        db = undefined;
        // Rejected rows are bad input: exit 2 so a script notices, though the good rows are in.
        if (summary.rejected > 0) process.exitCode = 2;
      } catch (err) {
        await db?.close();
        fail(err);
      }
    });
}
