import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiFixture, type ApiFixture } from './api-fixture.js';

describe('API over TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hub-tls-'));
  let f: ApiFixture;
  before(async function () {
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
        ],
        { stdio: 'ignore' },
      );
    } catch {
      process.stdout.write('  (TLS test skipped: openssl is not available to make a test certificate)\n');
      this.skip();
    }
    f = await apiFixture(`api: { tls: { cert: ${join(dir, 'cert.pem')}, key: ${join(dir, 'key.pem')} } }\n`);
    await f.server.start();
  });
  after(async () => {
    await f?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves HTTPS when api.tls is configured', async () => {
    assert.match(f.server.info.uri, /^https:/);
    const headers = await f.auth('feed:read');
    const body = await new Promise<string>((resolve, reject) => {
      get(`${f.server.info.uri}/api/v1/feed`, { ca: readFileSync(join(dir, 'cert.pem')), headers }, (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`HTTP ${res.statusCode}`))));
      }).on('error', reject);
    });
    assert.deepEqual(JSON.parse(body).events, []);
  });
});
