// The learned selectivity model on the public Korean customs data, through the hub's real path: a fresh
// database, `declarations import` of the train files with outcomes, `model train`, promote, then every test
// declaration scored by the declaration-model scorer as the hub runs it. Test labels are read to grade,
// and to play the officers: a day's results are recorded `--outcome-lag` days after it (default 1), so
// later days' history features know them, as the hub would. `--outcome-lag none` records none.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import type { Declaration } from '@customs-hub/sdk';
import {
  DeclarationChecker, DeclarationRiskService, ModelStore, ScorerRegistry, ScoringStage, createLogger, dayPlus, importDeclarations,
  loadLabelled, loadMapping, mapRow, openDatabase, policyWithDefaults, readRows, recordDeclarationOutcome, selectivity, startProgress, trainModel,
} from '@customs-hub/core';

const root = resolve(__dirname, '..', '..');
const data = resolve(root, '..', 'shared', 'data', 'customs-declarations');
const args = process.argv.slice(2);
const many = (flag: string): string[] => {
  const i = args.indexOf(flag);
  if (i < 0) return [];
  const out: string[] = [];
  for (let j = i + 1; j < args.length && !args[j]!.startsWith('--'); j++) out.push(args[j]!);
  return out;
};
const train = many('--train').length ? many('--train') : [join(data, 'train.csv')];
const test = many('--test')[0] ?? join(data, 'valid.csv');
const mappingFile = many('--mapping')[0] ?? join(root, 'config', 'mappings', 'kcs-customs-declarations.yaml');
const lagArg = many('--outcome-lag')[0] ?? '1';
const lag = lagArg === 'none' ? null : Number(lagArg);
if (lag !== null && !(Number.isInteger(lag) && lag >= 1)) throw new Error(`--outcome-lag '${lagArg}': a whole number of days ≥ 1, or none`);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-selectivity-'));
  const db = await openDatabase(`sqlite:${join(dir, 'hub.db')}`);
  const cp = 'BENCH';
  try {
    const mapping = loadMapping(mappingFile);
    const imported = await importDeclarations(train, { db, checkpoint: cp, mapping });
    console.log(`import (train, with outcomes): ${imported.imported} declarations, ${imported.outcomes} outcomes, ${imported.rejected} rejected in ${imported.seconds.toFixed(2)} s (${Math.round(imported.rows / imported.seconds)} rows/s)`);
    const testImport = await importDeclarations([test], { db, checkpoint: cp, mapping: { ...mapping, outcome: null } });
    console.log(`import (test, no outcomes): ${testImport.imported} declarations in ${testImport.seconds.toFixed(2)} s (${Math.round(testImport.rows / testImport.seconds)} rows/s)`);

    const t0 = performance.now();
    const labelled = await loadLabelled(db, cp);
    const artefact = await trainModel(labelled);
    const trainS = (performance.now() - t0) / 1000;
    const store = new ModelStore(db, cp);
    const m = await store.save(artefact);
    await store.promote(m.id);
    const h = artefact.holdout.metrics;
    console.log(`model ${m.id}: ${artefact.window.rows} rows ${artefact.window.from} … ${artefact.window.until}, trained in ${trainS.toFixed(1)} s (features and both fits; trees ${artefact.trainingSeconds} s of it); holdout ${artefact.holdout.from} …: p@5% ${h.p5} p@10% ${h.p10} auc ${h.auc}`);

    // The scorer exactly as the hub loads it, with the hub's risk service behind it.
    const registry = new ScorerRegistry();
    const loaded = registry.load(require.resolve('@customs-hub/scorer-declaration-model'));
    if (!loaded) throw new Error(`scorer not loaded: ${registry.refused.map((r) => r.reason).join('; ')}`);
    const silent = createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));
    const stage = new ScoringStage(registry, { enabled: true, correlation: { windowS: 60, closeAfterS: 90, lanes: {}, kinds: [] }, scorers: [], policy: policyWithDefaults({ name: 'bench', randomRate: 0 }), shadowPolicies: [] } as never, silent);
    const risk = new DeclarationRiskService(db, cp);
    await risk.reload();
    stage.models = risk;

    // Test declarations and their labels, in date order.
    const checker = new DeclarationChecker();
    const rows: Array<{ d: Declaration; violation: boolean; critical: boolean }> = [];
    for await (const r of readRows(test, 'csv')) {
      if ('error' in r) continue;
      const mapped = mapRow(r.row, mapping);
      rows.push({ d: checker.check(mapped.body), violation: mapped.outcome?.violation ?? false, critical: mapped.outcome?.critical ?? false });
    }
    rows.sort((a, b) => (a.d.date! < b.d.date! ? -1 : a.d.date! > b.d.date! ? 1 : 0));
    const scores = new Float64Array(rows.length);
    let scoringMs = 0;
    const bar = startProgress({ format: 'scoring [{bar}] {percentage}% | {value}/{total} declarations | day {day}', total: rows.length, fields: { day: '' } });
    for (let i = 0; i < rows.length;) {
      const day = rows[i]!.d.date!;
      await risk.prepare(day);
      let j = i;
      const started = performance.now();
      for (; j < rows.length && rows[j]!.d.date === day; j++) {
        const out = await stage.scoreDeclaration(rows[j]!.d);
        const c = out.contributions.find((x) => x.code === 'declaration-model.risk');
        scores[j] = Number(c?.evidence.values?.probability ?? 0);
      }
      scoringMs += performance.now() - started;
      bar.update(j, { day });
      if (lag !== null) {
        for (let k = i; k < j; k++) {
          const r = rows[k]!;
          await recordDeclarationOutcome(db.knex, cp, { number: r.d.number, violation: r.violation || r.critical, critical: r.critical, recordedAt: dayPlus(day, lag), source: 'officer' });
        }
      }
      i = j;
    }
    bar.stop();
    const s = selectivity(scores, rows.map((r) => (r.violation ? 1 : 0)), rows.map((r) => (r.critical ? 1 : 0)));
    const rate = Math.round(rows.length / (scoringMs / 1000));
    console.log(`scored ${rows.length} test declarations (outcomes known ${lag === null ? 'never' : `${lag} day(s) after each day`}) in ${(scoringMs / 1000).toFixed(2)} s`);
    console.log(`selectivity: precision@5% ${s.p5.toFixed(3)}, precision@10% ${s.p10.toFixed(3)}, recall@10% ${s.r10.toFixed(3)}, critical recall@10% ${s.c10.toFixed(3)}, auc ${s.auc.toFixed(3)}; trained on ${artefact.window.rows} rows in ${trainS.toFixed(1)} s; scored ${rate} decl/s`);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => { console.error(err.stack ?? err.message); process.exit(1); });
