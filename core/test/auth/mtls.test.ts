import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHub } from '../../src/bootstrap.js';
import type { Hub } from '../../src/hub.js';
import { parseConfig } from '../../src/config/load-config.js';
import { TokenStore } from '../../src/auth/token-store.js';

/** A CA, a server certificate and client certificates, made with openssl for this test. */
function makePki(dir: string): void {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  for (const ca of ['ca', 'rogue-ca'])
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${ca}.key`, '-out', `${ca}.pem`, '-days', '1', '-subj', `/CN=${ca}`);
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  const leaf = (name: string, cn: string, ca: string, ext: string) => {
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    ssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${ca}.pem`,
      '-CAkey',
      `${ca}.key`,
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '1',
      '-extfile',
      ext,
    );
  };
  leaf('server', '127.0.0.1', 'ca', 'server.ext');
  leaf('central', 'central-system', 'ca', 'client.ext');
  leaf('stranger', 'someone-else', 'ca', 'client.ext');
  leaf('rogue', 'central-system', 'rogue-ca', 'client.ext');
}

function get(url: string, dir: string, client: string | null, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        ca: readFileSync(join(dir, 'ca.pem')),
        headers,
        ...(client ? { cert: readFileSync(join(dir, `${client}.pem`)), key: readFileSync(join(dir, `${client}.key`)) } : {}),
      },
      (res) => {
        let body = '';
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('mTLS on the API', function () {
  this.timeout(60000);
  const dir = mkdtempSync(join(tmpdir(), 'hub-mtls-'));
  const hubs: Hub[] = [];
  async function start(required: boolean): Promise<Hub> {
    const yaml = `checkpoint: { id: MTLS-1 }\ndataDir: ${join(dir, String(required))}\nhttp: { host: 127.0.0.1, port: 0 }\nlogging: { level: silent }
api: { tls: { cert: server.pem, key: server.key } }
security:
  mtls:
    ca: ca.pem
    required: ${required}
    clients:
      - { cn: central-system, name: central-system, scopes: [feed:read] }
`;
    const hub = (await createHub(parseConfig(yaml, join(dir, 'hub.yaml'), {}).config, { workspaceDir: null })).hub;
    await hub.start();
    hubs.push(hub);
    return hub;
  }
  before(function () {
    try {
      makePki(dir);
    } catch {
      process.stdout.write('  (mTLS test skipped: openssl is not available to make test certificates)\n');
      this.skip();
    }
  });
  after(async () => {
    for (const h of hubs) await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('maps a client certificate to its machine identity and scopes; others get no identity from theirs', async () => {
    const hub = await start(false);
    const url = hub.http.info.uri;
    const feed = await get(`${url}/api/v1/feed`, dir, 'central');
    assert.equal(feed.status, 200, feed.body);
    assert.equal((await get(`${url}/api/v1/cases`, dir, 'central')).status, 403, 'only the mapped scopes');
    assert.equal((await get(`${url}/api/v1/feed`, dir, 'stranger')).status, 401, 'a valid certificate not mapped to an identity');
    assert.equal((await get(`${url}/api/v1/feed`, dir, 'rogue')).status, 401, 'the right CN from another CA');
    assert.equal((await get(`${url}/api/v1/feed`, dir, null)).status, 401);
    const { token } = await new TokenStore(hub.db, 'MTLS-1').create('central-token', ['cases:read']);
    assert.equal(
      (await get(`${url}/api/v1/cases`, dir, null, { authorization: `Bearer ${token}` })).status,
      200,
      'tokens still work when a certificate is optional',
    );
    // The scopes bind writes too.
    const decl = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${url}/api/v1/declarations`,
        {
          method: 'POST',
          ca: readFileSync(join(dir, 'ca.pem')),
          cert: readFileSync(join(dir, 'central.pem')),
          key: readFileSync(join(dir, 'central.key')),
          headers: { 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
    assert.equal(decl, 403, 'feed:read only: no declarations');
  });

  it('refuses the connection without a valid client certificate when required', async () => {
    const hub = await start(true);
    const url = hub.http.info.uri;
    assert.equal((await get(`${url}/api/v1/feed`, dir, 'central')).status, 200);
    await assert.rejects(get(`${url}/api/v1/feed`, dir, null), /socket hang up|ECONNRESET|certificate|alert/i);
    await assert.rejects(get(`${url}/api/v1/feed`, dir, 'rogue'), /socket hang up|ECONNRESET|certificate|alert|unknown ca/i);
  });
});
