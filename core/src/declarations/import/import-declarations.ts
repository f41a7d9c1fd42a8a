import type { Database } from '../../storage/database.js';
import { DeclarationChecker, DeclarationInvalidError, declarationRow } from '../declaration-store.js';
import { dayPlus, outcomeRow, type DeclarationOutcome } from '../outcome-rows.js';
import { mapRow, type ImportMapping } from './mapping.js';
import { readRows } from './row-reader.js';

export interface ImportSummary {
  files: number;
  rows: number;
  imported: number;
  outcomes: number;
  rejected: number;
  /** The first rejections, with file, line and reason (all are counted). */
  rejections: Array<{ file: string; line: number; reason: string }>;
  seconds: number;
}

export interface ImportOptions {
  db: Database;
  checkpoint: string;
  mapping: ImportMapping | null;
  /** Called now and then with the bytes read of the current file and its index. */
  onProgress?: (file: number, bytes: number, rows: number) => void;
  batchSize?: number;
  maxRejectionsListed?: number;
  now?: Date;
}

/**
 * Bulk-loads historical declarations with their inspection outcomes, streamed, in transactions of a few
 * hundred rows. Idempotent by number: a row already stored is replaced, its outcome too. A row that does
 * not map or fails the Declaration v2 checks is rejected with its line and reason; the others go in.
 * Historical rows do not go on the feed (the central system sent them in the first place).
 */
export async function importDeclarations(files: string[], o: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const checker = new DeclarationChecker();
  const batchSize = o.batchSize ?? 2000;
  const listed = o.maxRejectionsListed ?? 50;
  const receivedAt = (o.now ?? new Date()).toISOString();
  const s: ImportSummary = { files: files.length, rows: 0, imported: 0, outcomes: 0, rejected: 0, rejections: [], seconds: 0 };
  const reject = (file: string, line: number, reason: string) => {
    s.rejected++;
    if (s.rejections.length < listed) s.rejections.push({ file, line, reason });
  };
  let declarations = new Map<string, Record<string, unknown>>();
  let outcomes = new Map<string, Record<string, unknown>>();
  const flush = async () => {
    if (declarations.size === 0) return;
    const d = [...declarations.values()];
    const out = [...outcomes.values()];
    declarations = new Map();
    outcomes = new Map();
    await o.db.knex.transaction(async (trx) => {
      // 6 columns a row: well within every driver's limit of bound values per statement.
      for (let i = 0; i < d.length; i += 500)
        await trx('declarations')
          .insert(d.slice(i, i + 500))
          .onConflict(['checkpoint', 'number'])
          .merge();
      for (let i = 0; i < out.length; i += 500)
        await trx('declaration_outcomes')
          .insert(out.slice(i, i + 500))
          .onConflict(['checkpoint', 'number'])
          .merge();
    });
    s.imported += d.length;
    s.outcomes += out.length;
  };
  for (const [fi, file] of files.entries()) {
    const format = o.mapping?.format ?? (file.endsWith('.csv') ? 'csv' : 'jsonl');
    if (format === 'csv' && !o.mapping) throw new Error(`${file}: a CSV file needs --mapping (which column is which field)`);
    let bytes = 0;
    for await (const item of readRows(file, format, o.mapping?.delimiter ?? ',', (b) => {
      bytes = b;
    })) {
      s.rows++;
      if ('error' in item) {
        reject(file, item.line, item.error);
        continue;
      }
      let body: unknown;
      let outcome: { violation: boolean; critical: boolean; recordedAt?: string } | null = null;
      try {
        if (o.mapping) {
          const m = mapRow(item.row, o.mapping);
          body = m.body;
          outcome = m.outcome;
        } else if ('declaration' in item.row) {
          body = item.row.declaration;
          outcome = parseOutcome(item.row.outcome);
        } else body = item.row;
        const d = checker.check(body);
        d.receivedAt = receivedAt;
        const key = d.number;
        // Both rows are made before either is batched: a row that fails half-way is rejected, not half stored.
        let outcomeValues: Record<string, unknown> | null = null;
        if (outcome) {
          const day = d.date ?? receivedAt;
          const recordedAt = outcome.recordedAt ?? dayPlus(day, o.mapping?.outcome?.knownAfterDays ?? 0);
          const row: DeclarationOutcome = {
            number: d.number,
            violation: outcome.violation || outcome.critical,
            critical: outcome.critical,
            recordedAt,
            source: 'import',
          };
          outcomeValues = outcomeRow(row, o.checkpoint);
        }
        const declarationValues = declarationRow(d, o.checkpoint);
        // The same number twice in one batch: the later row wins, as it would across batches.
        declarations.delete(key);
        declarations.set(key, declarationValues);
        outcomes.delete(key);
        if (outcomeValues) outcomes.set(key, outcomeValues);
      } catch (err) {
        reject(file, item.line, err instanceof DeclarationInvalidError ? err.problems.join('; ') : (err as Error).message);
        continue;
      }
      if (declarations.size >= batchSize) {
        await flush();
        o.onProgress?.(fi, bytes, s.rows);
      }
    }
    await flush();
    o.onProgress?.(fi, bytes, s.rows);
  }
  s.seconds = (performance.now() - started) / 1000;
  return s;
}

function parseOutcome(v: unknown): { violation: boolean; critical: boolean; recordedAt?: string } | null {
  if (v === undefined || v === null) return null;
  const o = v as { violation?: unknown; critical?: unknown; recordedAt?: unknown };
  if (typeof o !== 'object' || typeof o.violation !== 'boolean') throw new Error('/outcome/violation: must be boolean');
  if (o.critical !== undefined && typeof o.critical !== 'boolean') throw new Error('/outcome/critical: must be boolean');
  if (o.recordedAt !== undefined && (typeof o.recordedAt !== 'string' || Number.isNaN(Date.parse(o.recordedAt))))
    throw new Error('/outcome/recordedAt: must be an ISO date-time');
  return {
    violation: o.violation,
    critical: o.critical === true,
    ...(typeof o.recordedAt === 'string' ? { recordedAt: new Date(o.recordedAt).toISOString() } : {}),
  };
}
