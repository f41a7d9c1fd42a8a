import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PluginRegistry } from '../../src/plugins/plugin-registry.js';

const REPO = join(__dirname, '..', '..', '..', '..');
const CLI = join(REPO, 'core', 'dist', 'src', 'cli', 'main.js');

describe('customs-hub plugin new', function () {
  this.timeout(120000);

  it('scaffolds a plugin that is wired into the build, builds, passes its conformance suite and loads in the hub', () => {
    // A workspace of its own, with the repository's packages, so the test leaves the repository untouched.
    const root = mkdtempSync(join(tmpdir(), 'hub-scaffold-'));
    copyFileSync(join(REPO, 'tsconfig.base.json'), join(root, 'tsconfig.base.json'));
    writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ files: [], references: [] }));
    mkdirSync(join(root, 'plugins'));
    symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir');

    const out = execFileSync(process.execPath, [CLI, 'plugin', 'new', 'seal-reader', '--root', root], { encoding: 'utf8' });
    assert.match(out, /added plugins\/seal-reader to the references of tsconfig\.json/);
    assert.deepEqual(JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')).references, [{ path: 'plugins/seal-reader' }]);

    const again = spawnSync(process.execPath, [CLI, 'plugin', 'new', 'seal-reader', '--root', root], { encoding: 'utf8' });
    assert.equal(again.status, 1);
    assert.match(again.stderr, /exists already/);
    const bad = spawnSync(process.execPath, [CLI, 'plugin', 'new', 'Seal_Reader', '--root', root], { encoding: 'utf8' });
    assert.match(bad.stderr, /must be kebab-case/);

    execFileSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-b'], { cwd: root, encoding: 'utf8' });
    const mocha = spawnSync(
      process.execPath,
      [join(REPO, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--no-config', '--timeout', '20000', '--exit', 'plugins/seal-reader/dist/test/**/*.test.js'],
      { cwd: root, encoding: 'utf8' },
    );
    assert.equal(mocha.status, 0, mocha.stdout + mocha.stderr);
    assert.match(mocha.stdout, /SDK conformance: seal-reader@0\.1\.0/);
    assert.match(mocha.stdout, /raises a tamper alarm on every third event/);
    assert.doesNotMatch(mocha.stdout, /failing/);

    const registry = PluginRegistry.discover({ workspaceDir: join(root, 'plugins') });
    assert.deepEqual(registry.refused, []);
    assert.equal(registry.get('seal-reader')?.simulators[0]?.name, 'seal-reader');
  });
});
