import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CORE = join(__dirname, '..', '..', '..');
const CLI = join(CORE, 'dist', 'src', 'cli', 'main.js');

describe('what a newcomer meets first', function () {
  this.timeout(30000);

  it('the customs-hub bin is a launcher in the source tree, so npm links it before anything is built', () => {
    const bin = JSON.parse(readFileSync(join(CORE, 'package.json'), 'utf8')).bin['customs-hub'] as string;
    assert.ok(!bin.includes('dist/'), `bin ${bin} must not point into dist/`);
    const run = spawnSync(process.execPath, [join(CORE, bin), '--help'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Usage: customs-hub/);
  });

  it('validate-config gives one verdict that matches its exit code', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-validate-'));
    const good = join(dir, 'good.yaml');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      good,
      `checkpoint: { id: V-1 }\ndataDir: ${dir}\nlanes:\n  - id: L1\n    devices:\n      - { id: S1, plugin: virtual, config: { kind: weight, rate: 1 } }\n`,
    );
    writeFileSync(bad, `checkpoint: { id: V-1 }\ndataDir: ${dir}\nlanes:\n  - id: L1\n    devices:\n      - { id: S1, plugin: seal-reader, config: {} }\n`);
    const ok = spawnSync(process.execPath, [CLI, 'validate-config', good], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /good\.yaml: valid — checkpoint V-1/);
    const ko = spawnSync(process.execPath, [CLI, 'validate-config', bad], { encoding: 'utf8' });
    assert.equal(ko.status, 1);
    assert.doesNotMatch(ko.stdout, /valid/);
    assert.match(ko.stderr, /device S1: no plugin named 'seal-reader' is installed/);
    assert.match(ko.stderr, /bad\.yaml: invalid — 1 device\(s\) with no usable plugin/);
  });
});
