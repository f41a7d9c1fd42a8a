import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rawFilePath, TestHarness } from '@customs-hub/sdk/testing';
import type { Observation, XrayScanPayload } from '@customs-hub/sdk';
import { plugin, XRAY_NAMESPACE_URI, type XraySimulator } from '../src/index.js';
import { containerCheckDigit } from '@customs-hub/sdk';
import { configFor, startSimulator } from './helpers.js';

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const bySource = (h: TestHarness<unknown>, id: string) => h.observations.filter((o) => o.sourceId === id) as Array<Observation<'xray.scan'>>;

describe('xray-opcua: scans', function () {
  this.timeout(30000);
  let sim: XraySimulator;
  let h: TestHarness<unknown>;

  // One simulator and one data dir for the suite: each harness skips the scans earlier tests took
  // (they are in the history, and in the data dir's record of scans handed over).
  const dataDir = mkdtempSync(join(tmpdir(), 'xray-scan-'));
  before(async () => {
    sim = await startSimulator();
  });
  after(async () => {
    await sim.stop();
  });

  beforeEach(async () => {
    h = new TestHarness(plugin, { config: configFor(sim, { imageAttempts: 2 }), dataDir });
    await h.start();
    await h.waitFor(() => h.statuses.some((s) => s.detail.startsWith('connected')), 10000, 'connection');
  });
  afterEach(async () => {
    await h.stop();
  });

  it('delivers a scan with its identifiers, findings, annotations and the image in the raw store', async () => {
    const scan = await sim.scan({ findings: true, invalidContainer: true });
    await h.waitFor(() => bySource(h, scan.scanId).length === 1, 10000, 'the scan');
    const obs = bySource(h, scan.scanId)[0]!;
    const p: XrayScanPayload = obs.payload;

    assert.equal(obs.kind, 'xray.scan');
    assert.equal(p.scanId, scan.scanId);
    assert.equal(p.startedAt, scan.startedAt.toISOString());
    assert.equal(p.endedAt, scan.endedAt.toISOString());
    assert.equal(obs.deviceTime, scan.endedAt.toISOString());
    assert.equal(p.meanDensity, scan.meanDensity);
    assert.equal(p.imageStatus, 'stored');
    assert.deepEqual(obs.quality, { status: 'good' });
    const { preview, ...ext } = (obs.extensions as { 'xray-opcua': Record<string, unknown> })['xray-opcua'];
    assert.deepEqual(ext, { nodeId: `ns=2;s=XrayScanner.Scans.${scan.scanId}`, lane: 'CARGO-1' });
    assert.ok(preview, 'the preview is described (test/preview.test.ts checks it)');

    // Containers: the first was drawn with a wrong check digit; recompute it here.
    assert.deepEqual(
      obs.conveyance.containers.map((c) => c.number),
      scan.containers,
    );
    const first = scan.containers[0]!;
    assert.notEqual(Number(first[10]), containerCheckDigit(first.slice(0, 10)));
    assert.equal(obs.conveyance.containers[0]!.valid, false);
    assert.deepEqual(obs.conveyance.plates, [{ number: scan.plate }]);

    // Image: stored under its hash; the file's own digest matches what the scanner announced.
    const file = rawFilePath(join(h.dataDir, 'raw'), scan.imageSha256);
    assert.equal(await sha256File(file), scan.imageSha256);
    assert.deepEqual(
      obs.raw?.map((r) => r.role),
      ['xray-image', 'preview', 'thumbnail'],
    );
    assert.deepEqual([obs.raw![0]!.sha256, obs.raw![0]!.size], [scan.imageSha256, scan.imageSize]);
    assert.equal(p.image?.sha256, scan.imageSha256);
    assert.equal(p.image?.size, scan.imageSize);
    assert.equal(p.image?.location, `http://127.0.0.1:${sim.httpPort}/images/${scan.scanId}.raw`);
    assert.equal(p.image?.widthPx, 2048);
    assert.equal(p.image?.heightPx, Math.ceil(scan.imageSize / 4096));

    // Findings: automatic ones as the scanner gave them, operator annotations after them.
    const expected = [
      ...scan.findings.map((f) => ({ ...f, source: 'automatic' })),
      ...scan.annotations.map(({ operator, note, ...f }) => ({ ...f, source: 'operator', note: `${operator}: ${note}` })),
    ];
    assert.ok(scan.findings.length >= 1);
    assert.deepEqual(p.findings, expected);
    assert.equal(obs.alarms.length, expected.length);
    assert.ok(obs.alarms.every((a) => a.category === 'xray' && a.source === 'device'));
    assert.deepEqual(
      obs.alarms.map((a) => a.value),
      expected.map((f) => f.confidence),
    );
  });

  it('marks a scan whose image does not match its announced sha256 as corrupt, and keeps no file', async () => {
    const scan = await sim.scan({ corrupt: true, findings: false });
    await h.waitFor(() => bySource(h, scan.scanId).length === 1, 10000, 'the scan');
    const obs = bySource(h, scan.scanId)[0]!;
    assert.equal(obs.payload.imageStatus, 'corrupt');
    assert.equal(obs.quality.status, 'bad');
    assert.match(obs.quality.reasons![0]!, new RegExp(`sha256 mismatch: the scanner announced ${scan.imageSha256}, the received file has [0-9a-f]{64}`));
    assert.equal(obs.raw, undefined);
    assert.equal(obs.payload.image?.sha256, scan.imageSha256);
    assert.equal(existsSync(rawFilePath(join(h.dataDir, 'raw'), scan.imageSha256)), false);
    assert.deepEqual(obs.alarms, []);
  });

  it('keeps a scan with malformed values, dropping only the bad values and naming each as a quality reason', async () => {
    const scan = await sim.scan({ malformed: true });
    await h.waitFor(() => bySource(h, scan.scanId).length === 1, 10000, 'the scan');
    const obs = bySource(h, scan.scanId)[0]!;
    const [first, ...rest] = scan.findings;
    const extra = `Finding${scan.findings.length + 1}`;
    assert.deepEqual(obs.quality, {
      status: 'uncertain',
      reasons: [
        "ImageSha256 'n/a' is not a sha256 hex digest",
        `finding Finding1: BoundingBox must be [x, y, width, height] ≥ 0, got [${[first!.box!.x, first!.box!.y, first!.box!.width].join(', ')}]`,
        'finding Finding1: Confidence 1.7 is outside 0..1',
        `automatic finding ${extra} has no Class`,
      ],
    });
    // The image is still stored (by its actual hash), the first finding kept with only its class.
    assert.equal(obs.payload.imageStatus, 'stored');
    assert.equal(obs.payload.image?.sha256, scan.imageSha256);
    const automatic = obs.payload.findings.filter((f) => f.source === 'automatic');
    assert.deepEqual(automatic, [{ class: first!.class, source: 'automatic' }, ...rest.map((f) => ({ ...f, source: 'automatic' }))]);
  });

  it('emits a scan whose image cannot be fetched with imageStatus missing and reports the failure', async () => {
    const scan = await sim.scan({ missingImage: true });
    await h.waitFor(() => bySource(h, scan.scanId).length === 1, 10000, 'the scan');
    const obs = bySource(h, scan.scanId)[0]!;
    assert.equal(obs.payload.imageStatus, 'missing');
    assert.equal(obs.quality.status, 'bad');
    assert.match(obs.quality.reasons![0]!, /image not retrieved: GET http:\/\/127\.0\.0\.1:\d+\/images\/.+ answered HTTP 404/);
    assert.ok(h.statuses.some((s) => s.type === 'failure' && /not retrieved after 2 attempt/.test(s.detail)));
  });

  it('offers a scan again when the hub could not store it, until it does', async () => {
    h.failEmits(2);
    const scan = await sim.scan();
    await h.waitFor(() => bySource(h, scan.scanId).length === 1, 10000, 'the scan after two refusals');
    const refusals = h.statuses.filter(
      (s) => s.type === 'failure' && s.detail.startsWith(`the hub could not take xray.scan ${scan.scanId}: storage unavailable`),
    );
    assert.equal(refusals.length, 2);
  });

  it('takes every scan of a quick succession exactly once, in order', async () => {
    const scans: Array<Awaited<ReturnType<XraySimulator['scan']>>> = [];
    for (let i = 0; i < 5; i++) scans.push(await sim.scan({ findings: i % 2 === 0 }));
    await h.waitFor(() => scans.every((s) => bySource(h, s.scanId).length === 1), 15000, 'five scans');
    const order = h.observations.filter((o) => o.kind === 'xray.scan').map((o) => o.sourceId);
    assert.deepEqual(
      order,
      scans.map((s) => s.scanId),
    );
    assert.equal(h.logs.filter((l) => l.bindings.duplicate === true).length, 0);
  });

  it('follows a vendor model that announces scans by id string, finding them in the history', async () => {
    await h.stop();
    const lastScan = `nsu=${XRAY_NAMESPACE_URI};s=XrayScanner.LastScanId`;
    h = new TestHarness(plugin, { config: configFor(sim, { nodes: { lastScan } }), dataDir });
    await h.start();
    await h.waitFor(() => h.statuses.some((s) => s.detail.startsWith('connected')), 10000, 'connection');
    const scan = await sim.scan({ findings: true });
    await h.waitFor(() => bySource(h, scan.scanId).length === 1, 10000, 'the scan');
    assert.deepEqual(
      bySource(h, scan.scanId)[0]!
        .payload.findings.filter((f) => f.source === 'automatic')
        .map((f) => f.class),
      scan.findings.map((f) => f.class),
    );
  });

  it('faults, naming the node, when a mapped node is not on the server', async () => {
    await h.stop();
    const lastScan = `nsu=${XRAY_NAMESPACE_URI};s=Vendor.NoSuchLastScan`;
    h = new TestHarness(plugin, { config: configFor(sim, { nodes: { lastScan } }), dataDir });
    await h.start();
    await h.waitFor(() => h.statuses.some((s) => s.type === 'fault'), 5000, 'a fault');
    assert.match(
      h.statuses.find((s) => s.type === 'fault')!.detail,
      /^node 'lastScan' \(ns=2;s=Vendor\.NoSuchLastScan\) is not on the server: BadNodeIdUnknown/,
    );
  });

  it('sets a damaged record of handed-over scans aside and carries on', async () => {
    await h.stop();
    const own = mkdtempSync(join(tmpdir(), 'xray-damaged-'));
    writeFileSync(join(own, 'seen-scans.json'), '{"not": "a list"');
    h = new TestHarness(plugin, { config: configFor(sim), dataDir: own });
    await h.start();
    assert.ok(existsSync(join(own, 'seen-scans.json.damaged')));
    assert.ok(h.logs.some((l) => l.level === 'warn' && /seen-scans\.json is not a JSON array of scan ids; moved to .+\.damaged$/.test(l.msg)));
    const scan = await sim.scan();
    await h.waitFor(() => bySource(h, scan.scanId).length === 1, 10000, 'a scan');
  });

  it('reports a scanner fault as a device event and a degraded status, and its clearing', async () => {
    await h.waitFor(() => h.statuses.some((s) => s.detail === 'scanner Ready'), 5000, 'the first status');
    sim.setStatus('Fault', 'detector array temperature high');
    await h.waitFor(() => h.observations.some((o) => o.kind === 'device.event'), 5000, 'the fault event');
    sim.setStatus('Ready');
    await h.waitFor(() => h.observations.filter((o) => o.kind === 'device.event').length === 2, 5000, 'the clearing event');
    const events = h.observations.filter((o): o is Observation<'device.event'> => o.kind === 'device.event').map((o) => o.payload);
    assert.deepEqual(events[0], { event: 'fault', code: 'Fault', message: 'detector array temperature high', values: { status: 'Fault', previous: 'Ready' } });
    assert.equal(events[1]!.event, 'fault-cleared');
    assert.ok(h.statuses.some((s) => s.type === 'degraded' && s.detail === 'scanner reports Fault: detector array temperature high'));
  });

  it('does not fetch or emit again, after a restart, the scans it already handed over', async () => {
    const first = await sim.scan();
    await h.waitFor(() => bySource(h, first.scanId).length === 1, 10000, 'the first scan');
    await h.stop();
    const again = new TestHarness(plugin, { config: configFor(sim), dataDir: h.dataDir });
    await again.start();
    try {
      const second = await sim.scan();
      await again.waitFor(() => bySource(again, second.scanId).length === 1, 10000, 'the second scan');
      assert.deepEqual(
        again.observations.filter((o) => o.kind === 'xray.scan').map((o) => o.sourceId),
        [second.scanId],
      );
    } finally {
      await again.stop();
    }
  });
});
