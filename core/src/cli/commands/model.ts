import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfigFile } from '../../config/load-config.js';
import type { HubConfig } from '../../config/types.js';
import { openDatabase, type Database } from '../../storage/database.js';
import { ModelStore } from '../../risk-model/model-store.js';
import { driftReport, formatDrift } from '../../risk-model/drift.js';
import { loadLabelled, trainModel } from '../../risk-model/train-model.js';
import { fail } from '../fail.js';

async function withStore<T>(configFile: string, fn: (store: ModelStore, db: Database, checkpoint: string, config: HubConfig) => Promise<T>): Promise<void> {
  let db: Database | undefined;
  try {
    const { config } = loadConfigFile(configFile);
    db = await openDatabase(config.storage.url);
    await fn(new ModelStore(db, config.checkpoint.id), db, config.checkpoint.id, config);
  } catch (err) {
    await db?.close();
    fail(err);
  }
  await db?.close();
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export function registerModel(program: Command): void {
  const model = program.command('model').description('the learned declaration-risk model: train, list, show, promote, retire, report');
  const cfg = (c: Command) => c.option('-c, --config <file>', 'the checkpoint config (its storage holds outcomes and models)', 'config/demo.yaml');
  cfg(model.command('train'))
    .description('train a model on the outcomes known up to a day (default: all); it is stored in shadow')
    .option('--until <date>', 'last declaration date of the training window (YYYY-MM-DD)')
    .option('--json', 'print the stored model summary as JSON')
    .action((opts: { config: string; until?: string; json?: boolean }) =>
      withStore(opts.config, async (store, db, cp) => {
        if (opts.until !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.until)) throw new Error(`--until '${opts.until}' is not a date (YYYY-MM-DD)`);
        const labelled = await loadLabelled(db, cp, opts.until);
        const artefact = await trainModel(labelled);
        const m = await store.save(artefact);
        const h = artefact.holdout;
        if (opts.json)
          process.stdout.write(
            `${JSON.stringify({ id: m.id, sha256: m.sha256, status: m.status, window: artefact.window, holdout: h, trainingSeconds: artefact.trainingSeconds }, null, 2)}\n`,
          );
        else
          process.stdout.write(
            `model ${m.id} (${m.status}) trained on ${artefact.window.rows} rows ${artefact.window.from} … ${artefact.window.until} in ${artefact.trainingSeconds} s\n` +
              `holdout ${h.from} … ${h.until} (${h.metrics.rows} rows): precision@5% ${pct(h.metrics.p5)}, precision@10% ${pct(h.metrics.p10)}, recall@10% ${pct(h.metrics.r10)}, auc ${h.metrics.auc}\n` +
              `sha256 ${m.sha256}\nit runs in shadow; \`customs-hub model promote ${m.id}\` makes it live\n`,
          );
      }),
    );
  cfg(model.command('list'))
    .description('every model, newest first')
    .option('--json', 'as JSON')
    .action((opts: { config: string; json?: boolean }) =>
      withStore(opts.config, async (store) => {
        const list = await store.list();
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
          return;
        }
        for (const m of list) {
          const s = m.summary as { window: { from: string; until: string; rows: number }; holdout: { metrics: { p5: number; p10: number; auc: number } } };
          process.stdout.write(
            `${m.id}  ${m.status.padEnd(7)}  created ${m.createdAt}  window ${s.window.from} … ${s.window.until} (${s.window.rows} rows)  holdout p@5% ${pct(s.holdout.metrics.p5)} p@10% ${pct(s.holdout.metrics.p10)} auc ${s.holdout.metrics.auc}\n`,
          );
        }
        if (list.length === 0) process.stdout.write('no models: `customs-hub model train` makes one\n');
      }),
    );
  cfg(model.command('show <id>'))
    .description('one model: hash, window, features, holdout metrics, parameters')
    .action((id: string, opts: { config: string }) =>
      withStore(opts.config, async (store) => {
        const m = await store.get(id);
        const { gbdt, reference: _r, ...rest } = m.artefact;
        process.stdout.write(
          `${JSON.stringify({ id: m.id, sha256: m.sha256, status: m.status, createdAt: m.createdAt, promotedAt: m.promotedAt, retiredAt: m.retiredAt, ...rest, trees: gbdt.trees.length }, null, 2)}\n`,
        );
      }),
    );
  cfg(model.command('promote <id>'))
    .description('make a model live (the live one is retired); a running hub picks it up on `customs-hub reload` (SIGHUP)')
    .action((id: string, opts: { config: string }) =>
      withStore(opts.config, async (store, _db, _cp, config) => {
        // The command line carries no identity: a promotion that needs two supervisors goes through the API.
        if (config.security.fourEyes.promoteModel) {
          throw new Error(
            `four-eyes is on for model promotion (security.fourEyes.promoteModel): a supervisor asks with POST /api/v1/models/${id}/promote and a second one approves (POST /api/v1/approvals/{id}/approve)`,
          );
        }
        const m = await store.promote(id);
        process.stdout.write(`model ${m.id} is live; a running hub takes it on \`customs-hub reload\`\n`);
      }),
    );
  cfg(model.command('export <id>'))
    .description('write a model as the national downlink carries it (customs-hub national send --type model)')
    .option('--out <file>', 'write to this file (default: standard output)')
    .option('--release <version>', "the centre's name for this release, recorded in each checkpoint's audit log")
    .action((id: string, opts: { config: string; out?: string; release?: string }) =>
      withStore(opts.config, async (store) => {
        const m = await store.exportText(id);
        const message = {
          kind: 'declaration-risk-model',
          id: m.id,
          sha256: m.sha256,
          artefact: m.text,
          release: { version: opts.release ?? m.id, releasedAt: new Date().toISOString() },
        };
        const text = `${JSON.stringify(message)}\n`;
        if (opts.out) writeFileSync(opts.out, text);
        else process.stdout.write(text);
      }),
    );
  cfg(model.command('retire <id>'))
    .description('take a model out of service')
    .action((id: string, opts: { config: string }) =>
      withStore(opts.config, async (store) => {
        const m = await store.retire(id);
        process.stdout.write(`model ${m.id} is retired\n`);
      }),
    );
  cfg(model.command('report'))
    .description("drift (PSI) of the score and the main features: recent declarations vs the live model's training window")
    .option('--since <date>', 'recent declarations from this date (default: the 30 days after the training window)')
    .option('--json', 'as JSON')
    .action((opts: { config: string; since?: string; json?: boolean }) =>
      withStore(opts.config, async (_store, db, cp) => {
        const r = await driftReport(db, cp, opts.since);
        process.stdout.write(`${opts.json ? JSON.stringify(r, null, 2) : formatDrift(r)}\n`);
      }),
    );
}
