import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.js');

describe('customs-hub certificates', function () {
  this.timeout(30000);

  it("lists a device's refused server certificate and trusts it by thumbprint prefix", () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-certs-'));
    const config = join(dir, 'checkpoint.yaml');
    writeFileSync(
      config,
      `checkpoint: { id: CERT-1 }\ndataDir: ${dir}\nlanes:\n  - id: L1\n    devices:\n      - { id: XRAY-1, plugin: xray-opcua, config: { endpointUrl: "opc.tcp://127.0.0.1:4841", securityMode: SignAndEncrypt, securityPolicy: Basic256Sha256 } }\n      - { id: SCALE-1, plugin: virtual, config: { kind: weight, rate: 1 } }\n`,
    );
    const rejected = join(dir, 'devices', 'XRAY-1', 'pki', 'rejected');
    mkdirSync(rejected, { recursive: true });
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
        join(rejected, 'scanner.pem'),
        '-days',
        '30',
        '-subj',
        '/CN=Scanner 7/O=Acme X-ray',
      ],
      { stdio: 'ignore' },
    );
    const fingerprint = execFileSync('openssl', ['x509', '-in', join(rejected, 'scanner.pem'), '-noout', '-fingerprint', '-sha1'], { encoding: 'utf8' });
    const thumbprint = fingerprint.split('=')[1]!.trim().replace(/:/g, '').toLowerCase();

    const list = execFileSync(process.execPath, [CLI, 'certificates', 'list', 'XRAY-1', '--config', config], { encoding: 'utf8' });
    assert.match(list, new RegExp(`^rejected +${thumbprint} +CN=Scanner 7, O=Acme X-ray`, 'm'));
    const trust = execFileSync(process.execPath, [CLI, 'certificates', 'trust', 'XRAY-1', thumbprint.slice(0, 10), '--config', config], { encoding: 'utf8' });
    assert.match(trust, new RegExp(`trusted ${thumbprint}`));
    assert.ok(existsSync(join(dir, 'devices', 'XRAY-1', 'pki', 'trusted', 'certs', 'scanner.pem')));
    assert.match(execFileSync(process.execPath, [CLI, 'certificates', 'list', 'XRAY-1', '--config', config], { encoding: 'utf8' }), /^trusted /m);

    const other = spawnSync(process.execPath, [CLI, 'certificates', 'list', 'SCALE-1', '--config', config], { encoding: 'utf8' });
    assert.equal(other.status, 1);
    assert.match(other.stderr, /device SCALE-1 \(plugin virtual\) keeps no certificates/);
  });
});
