import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importDeclarations } from '@customs-hub/core/dist/src/declarations/import/import-declarations.js';
import { loadMapping, type ImportMapping } from '@customs-hub/core/dist/src/declarations/import/mapping.js';
import { openDatabase, type Database } from '@customs-hub/core/dist/src/storage/database.js';

// The declarations CSV import (`customs-hub declarations import --mapping config/mappings/…`): the
// shipped KCS mapping over slices of the repository's public subset, through the import itself into an
// in-memory database. It must never throw: a row it cannot take is rejected with its line and a reason,
// and the summary must add up.

type Outcome = 'accepted' | 'refused';

const ROOT = join(__dirname, '..', '..');
const SUBSET = join(ROOT, 'core/test/fixtures/customs-declarations/subset.csv');
const MAPPING = join(ROOT, 'config/mappings/kcs-customs-declarations.yaml');
const ROWS_PER_SEED = 12;

let mapping: ImportMapping | null = null;
let db: Database | null = null;
let dir: string | null = null;

/** Seeds: the header with a few rows from several places of the subset, and one with CSV's awkward corners. */
export function declarationSeeds(): Buffer[] {
  const lines = readFileSync(SUBSET, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
  const [header, ...rows] = lines;
  const seeds = [0, 400, 1200, rows.length - ROWS_PER_SEED].map((at) => Buffer.from([header, ...rows.slice(at, at + ROWS_PER_SEED)].join('\n') + '\n'));
  const [first, second] = [rows[0]!.split(','), rows[1]!.split(',')];
  // BOM, CRLF, a quoted cell with the delimiter, a doubled quote and a line break in it, an empty line.
  first[11] = '"W6,UCD9"';
  second[8] = '"ZZ""R1\nLT6"';
  seeds.push(Buffer.from(`\uFEFF${header}\r\n${first.join(',')}\r\n\r\n${second.join(',')}\r\n`));
  return seeds;
}

export async function runDeclarations(input: Buffer): Promise<Outcome> {
  mapping ??= loadMapping(MAPPING);
  dir ??= mkdtempSync(join(tmpdir(), 'fuzz-declarations-'));
  db ??= await openDatabase('sqlite::memory:');
  const file = join(dir, 'declarations.csv');
  writeFileSync(file, input);
  try {
    const s = await importDeclarations([file], { db, checkpoint: 'FUZZ', mapping, batchSize: 50, maxRejectionsListed: 1000 });
    const lines = input.toString('utf8').split(/\r\n|\r|\n/).length;
    if (s.rejections.length !== s.rejected) throw new Error(`${s.rejected} rejected, ${s.rejections.length} listed`);
    for (const r of s.rejections) {
      if (!r.reason || r.reason.trim() === '') throw new Error(`line ${r.line} rejected without a reason`);
      if (!(r.line >= 1 && r.line <= lines)) throw new Error(`rejection names line ${r.line} of a ${lines}-line file: ${r.reason}`);
    }
    if (s.rejected + s.imported > s.rows) throw new Error(`${s.rows} rows read, but ${s.imported} imported and ${s.rejected} rejected`);
    const stored = Number((await db.knex('declarations').count({ n: '*' }).first())?.n ?? 0);
    if (stored > s.imported) throw new Error(`${stored} declarations stored, ${s.imported} imported`);
    return s.imported > 0 || s.rejected === 0 ? 'accepted' : 'refused';
  } finally {
    await db.knex('declaration_outcomes').del();
    await db.knex('declarations').del();
  }
}

/** Ends the worker's database, so the worker can exit. */
export async function closeDeclarations(): Promise<void> {
  await db?.close();
  db = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
}
