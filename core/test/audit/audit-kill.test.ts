import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenStore } from '../../src/auth/token-store.js';
import { verifyAudit } from '../../src/audit/audit-verify.js';
import { openDatabase } from '../../src/storage/database.js';

const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.js');

describe('audit log across kill -9', function () {
  this.timeout(60000);

  it('keeps the entry of every acknowledged action, and the chain verifies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-audit-kill-'));
    const file = join(dir, 'hub.yaml');
    writeFileSync(file, `checkpoint: { id: KILL-1 }\ndataDir: ${dir}\nhttp: { host: 127.0.0.1, port: 0 }\nlogging: { level: warn }\n`);
    const db0 = await openDatabase(`sqlite:${join(dir, 'hub.db')}`);
    const { token } = await new TokenStore(db0, 'KILL-1').create('central', ['declarations:write']);
    await db0.close();
    const child = spawn(process.execPath, [CLI, 'start', '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: string[] = [];
    try {
      let out = '';
      child.stdout.on('data', (d) => {
        out += String(d);
      });
      const deadline = Date.now() + 30000;
      while (!/API at (\S+)\n/.test(out)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`hub did not start; stdout:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const api = /API at (\S+)\n/.exec(out)![1]!;
      let stop = false;
      const senders = Array.from({ length: 8 }, async (_, s) => {
        for (let n = 0; !stop; n++) {
          const number = `K-${s}-${n}`;
          try {
            const res = await fetch(`${api}/api/v1/declarations`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body: JSON.stringify({ number, containers: ['CSQU3054383'], goods: [{ hsCode: '847130', description: 'laptops' }] }),
            });
            if (res.status === 201) acked.push(number);
          } catch {
            return;
          }
        }
      });
      while (acked.length < 200) await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGKILL');
      stop = true;
      await Promise.all(senders);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 200));
    }
    const db = await openDatabase(`sqlite:${join(dir, 'hub.db')}`);
    try {
      const rows = await db.knex('audit_log').select('object_id').where({ checkpoint: 'KILL-1', action: 'declaration.received' });
      const logged = new Set(rows.map((r) => r.object_id));
      const missing = acked.filter((n) => !logged.has(n));
      assert.deepEqual(missing, [], 'every acknowledged declaration has its entry');
      const declared = await db.knex('declarations').count({ n: '*' }).first();
      assert.equal(Number(declared!.n), rows.length, 'no entry without its change and no change without its entry');
      const r = await verifyAudit(db, 'KILL-1');
      assert.equal(r.ok, true, JSON.stringify(r.problem));
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
