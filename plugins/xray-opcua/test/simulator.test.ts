import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { get } from 'node:http';
import { DataType, OPCUAClient, StatusCodes } from 'node-opcua';
import { containerCheckDigit } from '@customs-hub/sdk';
import { XRAY_NAMESPACE_URI, simulators, type XraySimulator } from '../src/index.js';
import { parseOptions } from '../src/simulator/definition.js';
import { startSimulator } from './helpers.js';

function download(url: string): Promise<{ status: number; sha256: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      const hash = createHash('sha256');
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        hash.update(c);
        bytes += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, sha256: hash.digest('hex'), bytes }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

describe('xray-opcua: simulator', function () {
  this.timeout(30000);
  let sim: XraySimulator;
  before(async () => {
    sim = await startSimulator({ imageMb: 1.5 });
  });
  after(async () => {
    await sim.stop();
  });

  it('scans on demand through the TriggerScan method, with the profile asked for', async () => {
    const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 } });
    await client.connect(sim.endpointUrl);
    try {
      const session = await client.createSession();
      const ns = (await session.readNamespaceArray()).indexOf(XRAY_NAMESPACE_URI);
      const call = (profile: string) =>
        session.call({
          objectId: `ns=${ns};s=XrayScanner`,
          methodId: `ns=${ns};s=XrayScanner.TriggerScan`,
          inputArguments: [{ dataType: DataType.String, value: profile }],
        });
      const ok = await call('findings');
      assert.equal(ok.statusCode.toString(), StatusCodes.Good.toString());
      const scanId = ok.outputArguments![0]!.value as string;
      const scan = sim.scans.find((s) => s.scanId === scanId)!;
      assert.ok(scan.findings.length >= 1);
      const last = await session.read({ nodeId: `ns=${ns};s=XrayScanner.LastScanId` });
      assert.equal(last.value.value, scanId);
      assert.equal((await call('x-ray vision')).statusCode.toString(), StatusCodes.BadInvalidArgument.toString());
      await session.close();
    } finally {
      await client.disconnect();
    }
  });

  it('serves images of the configured size whose sha256 is the announced one, unless asked to corrupt them', async () => {
    const good = await sim.scan({ corrupt: false });
    const bad = await sim.scan({ corrupt: true });
    const a = await download(`http://127.0.0.1:${sim.httpPort}/images/${good.scanId}.raw`);
    const b = await download(`http://127.0.0.1:${sim.httpPort}/images/${bad.scanId}.raw`);
    assert.deepEqual(a, { status: 200, sha256: good.imageSha256, bytes: Math.round(1.5 * 1024 * 1024) });
    assert.equal(b.bytes, a.bytes);
    assert.notEqual(b.sha256, bad.imageSha256);
    assert.equal((await download(`http://127.0.0.1:${sim.httpPort}/images/nope.raw`)).status, 404);
  });

  it('draws valid and invalid container numbers as asked, and the same images for the same seed', async () => {
    const valid = await sim.scan({ invalidContainer: false });
    const invalid = await sim.scan({ invalidContainer: true });
    const check = (n: string) => containerCheckDigit(n.slice(0, 10)) === Number(n[10]);
    assert.equal(check(valid.containers[0]!), true);
    assert.equal(check(invalid.containers[0]!), false);
    const twin = await startSimulator({ imageMb: 1.5 });
    try {
      // The first scan of `sim` came from TriggerScan('findings'); the same draw on a twin gives the same scan content.
      const [x, y] = [await twin.scan({ findings: true }), sim.scans[0]!];
      assert.equal(x.imageSha256, y.imageSha256);
      assert.deepEqual([x.containers, x.plate, x.findings], [y.containers, y.plate, y.findings]);
      assert.equal(x.scanId.slice(-7), y.scanId.slice(-7));
    } finally {
      await twin.stop();
    }
  });

  it('keeps its history to historySize while its server is down (a full history once hung the simulator there)', async () => {
    const small = await startSimulator({ historySize: 2, imageMb: 0.01 });
    try {
      await small.stopServer();
      const made = [await small.scan(), await small.scan(), await small.scan()];
      assert.deepEqual(
        small.scans.map((s) => s.scanId),
        made.slice(1).map((s) => s.scanId),
      );
    } finally {
      await small.stop();
    }
  });

  it('checks its options, naming the one that is wrong', () => {
    assert.equal(simulators[0]!.name, 'xray');
    assert.deepEqual(parseOptions({ intervalS: '5', imageMb: '50', secure: true }).intervalS, 5);
    assert.throws(() => parseOptions({ findingRate: '2' }), /xray simulator: findingRate must be a number in 0\.\.1, got '2'/);
    assert.throws(() => parseOptions({ port: 'abc' }), /port must be a number/);
  });
});
