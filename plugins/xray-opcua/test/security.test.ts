import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestHarness } from '@customs-hub/sdk/testing';
import { certificates, plugin, type XraySimulator } from '../src/index.js';
import { configFor, startSimulator } from './helpers.js';

describe('xray-opcua: security', function () {
  this.timeout(30000);
  let sim: XraySimulator | null = null;
  let h: TestHarness<unknown> | null = null;

  afterEach(async () => {
    await h?.stop();
    h = null;
    await sim?.stop();
    sim = null;
  });

  it('refuses an untrusted server certificate with SignAndEncrypt until it is trusted through certificates.trust', async () => {
    const secured = await startSimulator({ secure: true, pkiDir: mkdtempSync(join(tmpdir(), 'xray-sim-pki-')) });
    sim = secured;
    h = new TestHarness(plugin, { config: configFor(secured, { securityMode: 'SignAndEncrypt', securityPolicy: 'Basic256Sha256' }) });
    const harness = h;
    const pkiDir = join(harness.dataDir, 'pki');
    await harness.start();
    await harness.waitFor(() => harness.statuses.some((s) => s.type === 'fault'), 10000, 'a fault status');
    const fault = harness.statuses.find((s) => s.type === 'fault')!;
    assert.match(fault.detail, /server certificate of opc\.tcp:\/\/127\.0\.0\.1:\d+ is not trusted \(BadCertificateUntrusted\)/);
    assert.match(fault.detail, /customs-hub certificates trust/);
    assert.ok(!harness.statuses.some((s) => s.detail.startsWith('connected')), 'no session with an untrusted server');

    const listed = await certificates.list(pkiDir);
    assert.equal(listed.length, 1);
    assert.equal(listed[0]!.state, 'rejected');
    assert.match(listed[0]!.thumbprint, /^[0-9a-f]{40}$/);

    // A prefix of the thumbprint is enough, as an operator would type it.
    const trusted = await certificates.trust(pkiDir, listed[0]!.thumbprint.slice(0, 12));
    assert.equal(trusted.state, 'trusted');
    assert.deepEqual(
      (await certificates.list(pkiDir)).map((c) => [c.thumbprint, c.state]),
      [[listed[0]!.thumbprint, 'trusted']],
    );

    await harness.waitFor(() => harness.statuses.some((s) => s.detail.startsWith('connected')), 10000, 'a secure session');
    const scan = await secured.scan();
    await harness.waitFor(() => harness.observations.some((o) => o.sourceId === scan.scanId), 10000, 'a scan over the secure channel');
  });

  it("says which certificate to give a scanner that refuses the hub's client certificate (BadSecurityChecksFailed)", async () => {
    const locked = await startSimulator({ secure: true, rejectUnknownClients: true, pkiDir: mkdtempSync(join(tmpdir(), 'xray-sim-pki-')) });
    sim = locked;
    h = new TestHarness(plugin, { config: configFor(locked, { securityMode: 'SignAndEncrypt', securityPolicy: 'Basic256Sha256' }) });
    const harness = h;
    const pkiDir = join(harness.dataDir, 'pki');
    await harness.start();
    // First the hub has to trust the scanner, as in the test above.
    await harness.waitFor(() => harness.statuses.some((s) => /BadCertificateUntrusted/.test(s.detail)), 10000, 'the untrusted server');
    await certificates.trust(pkiDir, (await certificates.list(pkiDir))[0]!.thumbprint);
    await harness.waitFor(() => harness.statuses.some((s) => /BadSecurityChecksFailed/.test(s.detail)), 15000, 'the refused client certificate');
    const fault = harness.statuses.find((s) => /BadSecurityChecksFailed/.test(s.detail))!;
    assert.equal(fault.type, 'fault');
    const file = join(pkiDir, 'own', 'certs', 'client_certificate.pem');
    assert.ok(fault.detail.includes(`give the scanner ${file} to trust`), fault.detail);
    assert.ok(existsSync(file), "the named file is the hub's certificate");
    assert.ok(!harness.statuses.some((s) => s.detail.startsWith('connected')));
  });

  it('names the unknown certificate when asked to trust one it does not have', async () => {
    await assert.rejects(certificates.trust(mkdtempSync(join(tmpdir(), 'xray-pki-')), 'deadbeef00'), /no certificate 'deadbeef00' in .+ \(known: none\)/);
  });

  it('rejects configs that ask for a secure mode without a policy, or a policy without a secure mode', () => {
    for (const config of [
      { endpointUrl: 'opc.tcp://127.0.0.1:4840', securityMode: 'SignAndEncrypt' },
      { endpointUrl: 'opc.tcp://127.0.0.1:4840', securityMode: 'SignAndEncrypt', securityPolicy: 'None' },
      { endpointUrl: 'opc.tcp://127.0.0.1:4840', securityPolicy: 'Basic256Sha256' },
    ]) {
      assert.throws(() => new TestHarness(plugin, { config: config as never }).checkManifest(), /config invalid/, JSON.stringify(config));
    }
    assert.doesNotThrow(() =>
      new TestHarness(plugin, {
        config: { endpointUrl: 'opc.tcp://127.0.0.1:4840', securityMode: 'SignAndEncrypt', securityPolicy: 'Basic256Sha256' },
      }).checkManifest(),
    );
  });
});
