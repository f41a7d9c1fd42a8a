import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pluginFiles, pluginNames } from '../../src/cli/scaffold/plugin-template.js';

const REPO = join(__dirname, '..', '..', '..', '..');
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('@customs-hub/sdk as a package', function () {
  this.timeout(180000);

  it('packs into a tarball an out-of-repo plugin project installs, builds and tests against', () => {
    const work = mkdtempSync(join(tmpdir(), 'hub-sdk-pack-'));
    npm(['pack', '-w', '@customs-hub/sdk', '--pack-destination', work], REPO);
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    assert.ok(tarball, 'npm pack wrote a tarball');

    const project = join(work, 'seal-reader');
    mkdirSync(project);
    for (const [file, content] of Object.entries(pluginFiles(pluginNames('seal-reader', null)))) {
      if (file === 'tsconfig.json') continue;
      mkdirSync(join(project, file, '..'), { recursive: true });
      writeFileSync(join(project, file), content);
    }
    // Standalone: nothing from the hub's workspace but the compiler, mocha and Node's type declarations.
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'es2022',
          lib: ['es2023'],
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          skipLibCheck: true,
          rootDir: '.',
          outDir: 'dist',
          typeRoots: [join(REPO, 'node_modules', '@types')],
          types: ['node', 'mocha'],
        },
        include: ['src/**/*.ts', 'test/**/*.ts'],
      }),
    );
    npm(['install', join(work, tarball)], project);

    execFileSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], { cwd: project, encoding: 'utf8' });
    const mocha = spawnSync(
      process.execPath,
      [join(REPO, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--no-config', '--timeout', '20000', '--exit', 'dist/test/**/*.test.js'],
      { cwd: project, encoding: 'utf8' },
    );
    assert.equal(mocha.status, 0, mocha.stdout + mocha.stderr);
    assert.match(mocha.stdout, /SDK conformance: seal-reader@0\.1\.0/);
    assert.match(mocha.stdout, /raises a tamper alarm on every third event/);
    assert.doesNotMatch(mocha.stdout, /failing|pending/);
  });
});
