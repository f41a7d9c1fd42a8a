import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenStore } from '../../src/auth/token-store.js';
import { createDemoLogin, DEMO_LOGIN_NAME, OFFICER_SCOPES } from '../../src/console/demo-login.js';
import { openDatabase } from '../../src/storage/database.js';
import { VIRTUAL_PLUGIN } from '../helpers/hub-config.js';

const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.js');

describe('demo login', function () {
  this.timeout(30000);

  it('makes a fresh officer token and revokes the previous one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-login-'));
    const db = await openDatabase(`sqlite:${join(dir, 'hub.db')}`);
    try {
      const tokens = new TokenStore(db);
      const first = await createDemoLogin(db);
      const second = await createDemoLogin(db);
      assert.equal(await tokens.verify(first), null, 'the previous demo token no longer works');
      const creds = await tokens.verify(second);
      assert.equal(creds?.name, DEMO_LOGIN_NAME);
      assert.deepEqual([...creds!.scope].sort(), [...OFFICER_SCOPES].sort());
      assert.ok(!creds!.scope.includes('admin'));
    } finally {
      await db.close();
    }
  });

  it('`start --demo-login` prints the console URL and a token that opens the API', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-start-'));
    const file = join(dir, 'demo.yaml');
    writeFileSync(
      file,
      `checkpoint: { id: DEMO-T }\ndataDir: ${dir}\nhttp: { host: 127.0.0.1, port: 0 }\nlogging: { level: warn }\nplugins:\n  - package: ${VIRTUAL_PLUGIN}\nlanes:\n  - id: L1\n    devices:\n      - { id: W, plugin: virtual, config: { kind: weight, rate: 1 } }\n`,
    );
    const child = spawn(process.execPath, [CLI, 'start', '--config', file, '--demo-login'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      child.stdout.on('data', (d) => {
        out += String(d);
      });
      const exited = new Promise<number>((r) => child.once('exit', (code) => r(code ?? -1)));
      const deadline = Date.now() + 20000;
      while (!/demo login .*: (\S+)\n/.test(out)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no demo login printed; stdout:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.match(out, /checkpoint DEMO-T running — 1 lane\(s\), 1 device\(s\)/);
      assert.match(out, /lane L1: W \(virtual\)\n/);
      const consoleUrl = /console at (\S+)\n/.exec(out)![1]!;
      const token = /demo login .*: (\S+)\n/.exec(out)![1]!;
      assert.equal((await fetch(consoleUrl)).status, 200);
      const cases = await fetch(consoleUrl.replace('/console', '/api/v1/cases'), { headers: { authorization: `Bearer ${token}` } });
      assert.equal(cases.status, 200);
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
