import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAPPING_FILE, SUBSET } from '../risk-model/risk-fixture.js';

const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.js');

describe('customs-hub declarations import and model', function () {
  this.timeout(180_000);
  let dir = '';
  let config = '';
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args, '--config', config], { encoding: 'utf8' });
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hub-model-cli-'));
    config = join(dir, 'checkpoint.yaml');
    writeFileSync(config, `checkpoint: { id: CLI-1 }\ndataDir: ${dir}\nstorage: { url: "sqlite:${join(dir, 'hub.db')}" }\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('imports, lists a bad line by number (exit 2), trains in shadow, promotes, shows and retires', () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'Declaration ID,Date\n1,2020-01-01,extra\n');
    const r = run('declarations', 'import', SUBSET, bad, '--mapping', MAPPING_FILE);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stdout, /2494 rows read from 2 file\(s\) .*: 2493 declarations imported, 2493 with an outcome, 1 rejected/);
    assert.match(r.stdout, /bad\.csv:2: 3 cells, the header has 2/);
    const trained = run('model', 'train', '--until', '2020-11-30');
    assert.equal(trained.status, 0, trained.stderr);
    const id = /^model (m-[0-9a-f]{12}) \(shadow\) trained on \d+ rows 2020-01-01 … 2020-11-30/m.exec(trained.stdout)?.[1];
    assert.ok(id, trained.stdout);
    assert.match(trained.stdout, /holdout 2020-1\d-\d\d … 2020-11-30 \(\d+ rows\): precision@5% [\d.]+ %/);
    assert.match(run('model', 'list').stdout, new RegExp(`^${id}  shadow `, 'm'));
    const refused = run('model', 'promote', id!.slice(0, 6));
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /four-eyes is on for model promotion .*POST \/api\/v1\/models\/m-[0-9a-f]+\/promote/);
    writeFileSync(
      config,
      `checkpoint: { id: CLI-1 }\ndataDir: ${dir}\nstorage: { url: "sqlite:${join(dir, 'hub.db')}" }\nsecurity: { fourEyes: { promoteModel: false } }\n`,
    );
    assert.match(run('model', 'promote', id!.slice(0, 6)).stdout, new RegExp(`model ${id} is live`));
    const shown = JSON.parse(execFileSync(process.execPath, [CLI, 'model', 'show', id!, '--config', config], { encoding: 'utf8' }));
    assert.equal(shown.status, 'live');
    assert.match(shown.sha256, /^[0-9a-f]{64}$/);
    assert.equal(shown.window.until, '2020-11-30');
    assert.ok(shown.features.includes('importer.rate') && shown.features.includes('unitValue.rankInHs'));
    const report = run('model', 'report', '--since', '2020-12-01');
    assert.equal(report.status, 0, report.stderr);
    assert.match(
      report.stdout,
      new RegExp(
        `model ${id}, trained on 2020-01-01 … 2020-11-30; \\d+ declarations since 2020-12-01\\nscore PSI [\\d.]+ \\((stable|shifting|shifted: retrain)\\)`,
      ),
    );
    assert.match(report.stdout, /importer\.rate +PSI/);
    assert.match(run('model', 'retire', id!).stdout, /is retired/);
    const wrong = run('model', 'train', '--until', '30.11.2020');
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, /--until '30\.11\.2020' is not a date/);
  });
});
