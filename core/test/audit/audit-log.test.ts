import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createHub } from '../../src/bootstrap.js';
import type { Hub } from '../../src/hub.js';
import { parseConfig } from '../../src/config/load-config.js';
import { TokenStore } from '../../src/auth/token-store.js';
import { ROLE_SCOPES } from '../../src/auth/roles.js';
import { verifyAudit } from '../../src/audit/audit-verify.js';
import { AUDIT_CHECKPOINT_EVENT } from '../../src/audit/audit-checkpointer.js';
import { storages } from '../helpers/storage.js';

const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.js');
const run = promisify(execFile);
const DECLARATION = (n: number) => ({
  number: `D-${n}`,
  containers: ['CSQU3054383'],
  goods: [{ hsCode: '847130', description: 'laptops' }],
  grossMassKg: 9000 + n,
});

for (const storage of storages()) {
  describe(`audit log (${storage.name})`, function () {
    this.timeout(60000);
    let hub: Hub;
    let dir: string;
    let file: string;
    let url: string;
    const headers: Record<string, { authorization: string }> = {};
    const cp = 'AUD-1';

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'hub-audit-'));
      url = await storage.url();
      file = join(dir, 'hub.yaml');
      const yaml = `checkpoint: { id: ${cp} }\ndataDir: ${dir}\nstorage: { url: "${url}" }\nhttp: { port: 0 }\nlogging: { level: silent }\naudit: { checkpointIntervalS: 3600 }\n`;
      writeFileSync(file, yaml);
      hub = (await createHub(parseConfig(yaml, file, {}).config, { workspaceDir: null })).hub;
      await hub.start({ listen: false });
      const tokens = new TokenStore(hub.db, cp);
      for (const role of ['officer', 'auditor', 'integrator'] as const)
        headers[role] = { authorization: `Bearer ${(await tokens.create(`${role}-1`, ROLE_SCOPES[role], { role })).token}` };
      headers.central = { authorization: `Bearer ${(await tokens.create('central', ['declarations:write'])).token}` };
    });
    after(async () => {
      await hub?.stop();
      rmSync(dir, { recursive: true, force: true });
      await storage.cleanup();
    });

    it('records who did what, on which object, from where, with before and after — for the auditor only', async () => {
      const first = await hub.http.inject({
        method: 'POST',
        url: '/api/v1/declarations',
        headers: headers.central,
        payload: DECLARATION(1),
        remoteAddress: '10.1.2.3',
      });
      assert.equal(first.statusCode, 201);
      await hub.http.inject({ method: 'POST', url: '/api/v1/declarations', headers: headers.central, payload: { ...DECLARATION(1), grossMassKg: 12000 } });
      assert.equal((await hub.http.inject({ url: '/api/v1/audit', headers: headers.officer })).statusCode, 403, 'officers do not read the audit log');
      const res = await hub.http.inject({ url: '/api/v1/audit?object_type=declaration', headers: headers.auditor });
      assert.equal(res.statusCode, 200);
      const { entries } = JSON.parse(res.payload);
      assert.deepEqual(
        entries.map((e: any) => e.action),
        ['declaration.received', 'declaration.replaced'],
      );
      assert.deepEqual(entries[0].actor, { subject: 'central', role: 'machine', client: entries[0].actor.client, source: '10.1.2.3' });
      assert.match(entries[0].actor.client, /^token:/);
      assert.equal(entries[0].object.id, 'D-1');
      assert.equal(entries[1].before.grossMassKg, 9001);
      assert.equal(entries[1].after.grossMassKg, 12000);
      assert.equal(entries[1].prevHash, entries[0].hash, 'chained');
      const tokenEntries = JSON.parse((await hub.http.inject({ url: '/api/v1/audit?action=token.created', headers: headers.auditor })).payload).entries;
      assert.deepEqual(
        tokenEntries.map((e: any) => e.after.name),
        ['officer-1', 'auditor-1', 'integrator-1', 'central'],
      );
      assert.equal(tokenEntries[0].after.role, 'officer');
      assert.ok(!JSON.stringify(tokenEntries).includes('chub_'), 'never the token itself');
    });

    it('signs the chain head, publishes it on the feed, and verify checks it', async () => {
      const signed = await hub.audit.signNow();
      assert.ok(signed);
      const feed = JSON.parse(
        (
          await hub.http.inject({
            url: '/api/v1/feed?limit=1000',
            headers: { authorization: (await new TokenStore(hub.db).create('f', ['feed:read'])).token.replace(/^/, 'Bearer ') },
          })
        ).payload,
      );
      const events = (feed.events ?? feed.records ?? feed) as any[];
      const published = events.find((e: any) => e.type === AUDIT_CHECKPOINT_EVENT);
      assert.ok(published, 'checkpoint on the feed');
      assert.equal(published.data.seq, signed.seq);
      assert.equal(published.data.signature, signed.signature);
      const r = await verifyAudit(hub.db, cp, { trustedKeys: [hub.audit.key.publicKey] });
      assert.equal(r.ok, true, JSON.stringify(r.problem));
      assert.ok(r.checkpoints >= 1);
      const api = JSON.parse((await hub.http.inject({ url: '/api/v1/audit/verify', headers: headers.auditor })).payload);
      assert.equal(api.ok, true);
    });

    it('exports a time range as JSON lines', async () => {
      const all = JSON.parse((await hub.http.inject({ url: '/api/v1/audit', headers: headers.auditor })).payload).entries;
      const from = all[1].at;
      const { stdout } = await run(process.execPath, [CLI, 'audit', 'export', '-c', file, '--from', from, '--to', '2999-01-01T00:00:00Z']);
      const lines = stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      assert.deepEqual(
        lines.map((l) => l.seq),
        all.filter((e: any) => e.at >= from).map((e: any) => e.seq),
      );
      await assert.rejects(run(process.execPath, [CLI, 'audit', 'export', '-c', file, '--from', 'yesterday']), (err: { stderr: string }) =>
        /--from 'yesterday' is not an ISO time/.test(err.stderr),
      );
    });

    // Tampering, each on a copy of the chain's state restored after: edit, delete, reorder, cut the tail.
    async function tampered(change: (k: Hub['db']['knex']) => Promise<unknown>, undo: (k: Hub['db']['knex']) => Promise<unknown>, withCli = true) {
      await change(hub.db.knex);
      try {
        const r = await verifyAudit(hub.db, cp, { trustedKeys: [hub.audit.key.publicKey] });
        const cli = withCli
          ? await run(process.execPath, [CLI, 'audit', 'verify', '-c', file]).then(
              () => null,
              (err: { code: number; stdout: string }) => err,
            )
          : null;
        return { r, cli };
      } finally {
        await undo(hub.db.knex);
      }
    }

    it('names an edited entry', async () => {
      const row = await hub.db.knex('audit_log').where({ checkpoint: cp, seq: 3 }).first();
      const { r, cli } = await tampered(
        (k) => k('audit_log').where({ checkpoint: cp, seq: 3 }).update({ subject: 'someone-else' }),
        (k) => k('audit_log').where({ checkpoint: cp, seq: 3 }).update({ subject: row.subject }),
      );
      assert.deepEqual([r.ok, r.problem?.seq, r.problem?.kind], [false, 3, 'edited']);
      assert.equal(cli?.code, 1);
      assert.match(cli!.stdout, /audit: FAILED at entry 3 \(edited\)/);
    });

    it('names the entry after a deleted one', async () => {
      const row = await hub.db.knex('audit_log').where({ checkpoint: cp, seq: 2 }).first();
      const { r, cli } = await tampered(
        (k) => k('audit_log').where({ checkpoint: cp, seq: 2 }).del(),
        (k) => k('audit_log').insert(row),
      );
      assert.deepEqual([r.ok, r.problem?.seq, r.problem?.kind], [false, 3, 'deleted']);
      assert.match(cli!.stdout, /FAILED at entry 3 \(deleted\): .*does not follow entry 1/);
    });

    it('names reordered entries', async () => {
      const swap = async (k: Hub['db']['knex']) => {
        await k('audit_log').where({ checkpoint: cp, seq: 2 }).update({ seq: -2 });
        await k('audit_log').where({ checkpoint: cp, seq: 3 }).update({ seq: 2 });
        await k('audit_log').where({ checkpoint: cp, seq: -2 }).update({ seq: 3 });
      };
      const { r, cli } = await tampered(swap, swap);
      assert.deepEqual([r.ok, r.problem?.seq, r.problem?.kind], [false, 2, 'reordered']);
      assert.match(cli!.stdout, /FAILED at entry 2 \(reordered\): .*follows entry 3, not entry 1/);
      assert.equal((await verifyAudit(hub.db, cp)).ok, true, 'restored');
    });

    it('notices entries cut from the end, and a chain rewritten to match, by the signed checkpoint', async () => {
      const head = await hub.db.knex('audit_log').where({ checkpoint: cp }).orderBy('seq', 'desc').first();
      const { r } = await tampered(
        (k) => k('audit_log').where({ checkpoint: cp, seq: head.seq }).del(),
        (k) => k('audit_log').insert(head),
        false,
      );
      assert.deepEqual([r.ok, r.problem?.kind], [false, 'truncated']);
      assert.equal(r.problem?.seq, Number(head.seq));
      // A rewrite that recomputes every hash still differs from what was signed.
      const { entryHash } = await import('../../src/audit/audit-entry.js');
      const { r: rewritten } = await tampered(
        async (k) => {
          const { hash: _h, seq: _s, ...content } = head;
          await k('audit_log')
            .where({ checkpoint: cp, seq: head.seq })
            .update({ subject: 'forger', hash: entryHash({ ...content, subject: 'forger' }) });
        },
        (k) => k('audit_log').where({ checkpoint: cp, seq: head.seq }).update({ subject: head.subject, hash: head.hash }),
        false,
      );
      assert.deepEqual([rewritten.ok, rewritten.problem?.kind, rewritten.problem?.seq], [false, 'checkpoint-mismatch', Number(head.seq)]);
    });

    it('refuses a checkpoint signed by another key', async () => {
      const { generateKeyPairSync } = await import('node:crypto');
      const { signCheckpoint, keyIdOf } = await import('../../src/audit/audit-signer.js');
      const { privateKey } = generateKeyPairSync('ed25519');
      const x = String(privateKey.export({ format: 'jwk' }).x);
      const head = await hub.audit.log.head();
      const forged = signCheckpoint(
        { privateKey, publicKey: x, keyId: keyIdOf(x) },
        { checkpoint: cp, seq: head!.seq, hash: head!.hash, at: new Date().toISOString() },
      );
      const r = await verifyAudit(hub.db, cp, { trustedKeys: [hub.audit.key.publicKey], extraCheckpoints: [forged] });
      assert.deepEqual([r.ok, r.problem?.kind], [false, 'untrusted-key']);
      const bad = await verifyAudit(hub.db, cp, { extraCheckpoints: [{ ...forged, hash: 'f'.repeat(64) }] });
      assert.deepEqual([bad.ok, bad.problem?.kind], [false, 'bad-signature']);
    });

    it('audits token revocation from the command line and a refused and an applied config reload', async () => {
      const { stderr } = await run(process.execPath, [CLI, 'tokens', 'create', '--name', 'alice', '--role', 'supervisor', '-c', file]);
      const id = /created token (\S+) 'alice'/.exec(stderr)![1]!;
      await run(process.execPath, [CLI, 'tokens', 'revoke', id, '-c', file]);
      writeFileSync(file, `checkpoint: { id: ${cp} }\ndataDir: ${dir}\nstorage: { url: "${url}" }\nlogging: { level: silent }\nunknownKey: 1\n`);
      await assert.rejects(hub.reload(), /unknown key/);
      writeFileSync(
        file,
        `checkpoint: { id: ${cp} }\ndataDir: ${dir}\nstorage: { url: "${url}" }\nhttp: { port: 0 }\nlogging: { level: silent }\naudit: { checkpointIntervalS: 3600 }\n`,
      );
      await hub.reload();
      const entries = JSON.parse((await hub.http.inject({ url: '/api/v1/audit?limit=5000', headers: headers.auditor })).payload).entries as any[];
      const revoked = entries.find((e) => e.action === 'token.revoked' && e.object.id === id);
      assert.ok(revoked);
      assert.deepEqual(
        [revoked.actor.role, revoked.actor.client, revoked.before.revokedAt, typeof revoked.after.revokedAt],
        ['local-admin', 'cli', null, 'string'],
      );
      assert.deepEqual(
        entries.slice(-2).map((e) => e.action),
        ['config.reload-refused', 'config.reloaded'],
      );
      assert.match(entries[entries.length - 2].details.error, /unknown key/);
      assert.equal((await verifyAudit(hub.db, cp)).ok, true, 'the CLI and the hub append to one chain');
    });
  });
}
