import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestHarness } from '@customs-hub/sdk/testing';
import type { Observation } from '@customs-hub/sdk';
import { plugin, XRAY_NAMESPACE_URI, type XraySimulator } from '../src/index.js';
import { configFor, startSimulator } from './helpers.js';

const scanIds = (h: TestHarness<unknown>) => h.observations.filter((o) => o.kind === 'xray.scan').map((o) => o.sourceId);
const events = (h: TestHarness<unknown>) => h.observations.filter((o): o is Observation<'device.event'> => o.kind === 'device.event');

describe('xray-opcua: scanners without an archive folder', function () {
  this.timeout(40000);
  let sim: XraySimulator | null = null;
  const harnesses: Array<TestHarness<unknown>> = [];
  const harness = (config: Record<string, unknown>, dataDir?: string) => {
    const h = new TestHarness(plugin, { config: config as never, ...(dataDir ? { dataDir } : {}) });
    harnesses.push(h);
    return h;
  };

  afterEach(async () => {
    for (const h of harnesses.splice(0)) await h.stop();
    await sim?.stop();
    sim = null;
  });

  it('HistoryRead on a LastScan record: no scan lost in a burst, before the first start, or across a hub restart', async () => {
    const s = await startSimulator({ vendor: { archive: 'none', lastScan: 'record', historizing: true } });
    sim = s;
    const dataDir = mkdtempSync(join(tmpdir(), 'xray-hist-'));
    const config = configFor(s, { historySource: 'historyRead' });
    const before = [await s.scan(), await s.scan({ findings: true })];
    const first = harness(config, dataDir);
    await first.start();
    await first.waitFor(() => before.every((x) => scanIds(first).includes(x.scanId)), 10000, 'the scans made before the first start');
    // A burst: six scans announced back to back.
    const burst = await Promise.all(Array.from({ length: 6 }, (_, i) => s.scan({ findings: i % 3 === 0 })));
    await first.waitFor(() => scanIds(first).length === 8, 15000, 'the burst');
    await first.stop();
    const cursor = JSON.parse(readFileSync(join(dataDir, 'history-cursor.json'), 'utf8')) as { sourceTime: string };
    // Persisted within the burst: at its last scan, or a little before when the last history read was still
    // running at stop (the next start reads again from there; nothing is offered twice, as checked below).
    const at = new Date(cursor.sourceTime).getTime();
    assert.ok(at >= burst[0]!.announcedAt.getTime() && at <= burst[5]!.announcedAt.getTime(), `cursor ${cursor.sourceTime}`);

    const away = [await s.scan(), await s.scan({ findings: true }), await s.scan()];
    const second = harness(config, dataDir);
    await second.start();
    await second.waitFor(() => away.every((x) => scanIds(second).includes(x.scanId)), 10000, 'the scans made while the hub was away');
    const after = await s.scan();
    await second.waitFor(() => scanIds(second).includes(after.scanId), 10000, 'a scan after the restart');

    assert.deepEqual(
      scanIds(first),
      [...before, ...burst].map((x) => x.scanId),
    );
    assert.deepEqual(
      scanIds(second),
      [...away, after].map((x) => x.scanId),
    );
    const obs = second.observations.find((o): o is Observation<'xray.scan'> => o.sourceId === away[1]!.scanId)!;
    assert.equal(obs.payload.imageStatus, 'stored');
    assert.equal(obs.payload.image?.sha256, away[1]!.imageSha256);
    assert.equal(obs.payload.findings.filter((f) => f.source === 'automatic').length, away[1]!.findings.length);
    assert.ok(second.logs.some((l) => l.msg === 'scans taken from the history' && (l.bindings.scans as string[]).length === 3));
  });

  it('HistoryRead recovers the announcements a sampling server folds into one notification', async () => {
    const s = await startSimulator({ vendor: { archive: 'none', lastScan: 'record', historizing: true, samplingMs: 1000 } });
    sim = s;
    const h = harness(configFor(s, { historySource: 'historyRead' }));
    await h.start();
    await h.waitFor(() => h.statuses.some((x) => x.detail.startsWith('connected')), 10000, 'connection');
    const burst = await Promise.all(Array.from({ length: 6 }, () => s.scan()));
    await h.waitFor(() => scanIds(h).length === 6, 15000, 'the folded burst');
    assert.deepEqual(
      scanIds(h),
      burst.map((x) => x.scanId),
    );
    // Most came from the history, not from a notification of their own.
    const fromHistory = h.logs.filter((l) => l.msg === 'scans taken from the history').flatMap((l) => l.bindings.scans as string[]);
    assert.ok(fromHistory.length >= 3, `only ${fromHistory.length} from the history: the server did not fold`);
  });

  it("HistoryRead on a LastScan NodeId: scans made while the scanner's server was down come back after it restarts", async () => {
    const s = await startSimulator({ vendor: { archive: 'none', historizing: true } });
    sim = s;
    const h = harness(configFor(s, { historySource: 'historyRead' }));
    await h.start();
    const one = await s.scan();
    await h.waitFor(() => scanIds(h).includes(one.scanId), 10000, 'the first scan');
    await s.stopServer();
    await h.waitFor(() => h.statuses.some((x) => x.type === 'failure'), 5000, 'the lost connection');
    const during = [await s.scan({ findings: true }), await s.scan()];
    await s.startServer();
    await h.waitFor(() => during.every((x) => scanIds(h).includes(x.scanId)), 15000, 'the scans made while it was down');
    assert.deepEqual(
      scanIds(h),
      [one, ...during].map((x) => x.scanId),
    );
    assert.ok(existsSync(join(h.dataDir, 'history-cursor.json')));
  });

  it('a LastScan record without any history: every scan of a burst still arrives through the subscription, and the driver says what it cannot recover', async () => {
    const s = await startSimulator({ vendor: { archive: 'none', lastScan: 'record' } });
    sim = s;
    const h = harness(configFor(s, { historySource: 'none' }));
    await h.start();
    await h.waitFor(() => h.statuses.some((x) => x.detail.startsWith('connected')), 10000, 'connection');
    assert.ok(
      h.logs.some(
        (l) => l.level === 'warn' && /keeps no history \(historySource none\): scans made while the hub was not connected cannot be recovered/.test(l.msg),
      ),
    );
    const burst = await Promise.all(Array.from({ length: 5 }, () => s.scan()));
    await h.waitFor(() => scanIds(h).length === 5, 15000, 'the burst');
    assert.deepEqual(
      scanIds(h),
      burst.map((x) => x.scanId),
    );
  });

  it('an announced scan that is nowhere is reported — log, failure, device event, count — never dropped silently', async () => {
    const s = await startSimulator();
    sim = s;
    // By id string: looked for in the history three times, then reported.
    const byId = harness(configFor(s, { nodes: { lastScan: `nsu=${XRAY_NAMESPACE_URI};s=XrayScanner.LastScanId` } }));
    await byId.start();
    await byId.waitFor(() => byId.statuses.some((x) => x.detail.startsWith('connected')), 10000, 'connection');
    const ghost = s.announceMissing();
    await byId.waitFor(() => events(byId).length === 1, 10000, 'the missing-scan event');
    const e = events(byId)[0]!.payload;
    assert.deepEqual([e.event, e.code, e.values], ['other', 'scan-missing', { scan: ghost, missingTotal: 1 }]);
    assert.match(e.message!, new RegExp(`^scan ${ghost} was announced by the scanner but cannot be read: it is not in the scanner's history after 3 reads`));
    assert.ok(byId.statuses.some((x) => x.type === 'failure' && x.detail.startsWith(`scan ${ghost} was announced`)));
    assert.ok(byId.logs.some((l) => l.level === 'warn' && l.msg === 'announced scan missing' && l.bindings.scan === ghost));
    // A real scan after it still flows.
    const real = await s.scan();
    await byId.waitFor(() => scanIds(byId).includes(real.scanId), 10000, 'a real scan');
    await byId.stop();

    // By NodeId: the read is retried, then reported; the count carries on.
    const byNode = harness(configFor(s));
    await byNode.start();
    await byNode.waitFor(() => byNode.statuses.some((x) => x.detail.startsWith('connected')), 10000, 'connection');
    const gone = s.announceMissing();
    await byNode.waitFor(() => events(byNode).length === 1, 10000, 'the missing-scan event');
    assert.equal(events(byNode)[0]!.payload.values?.missingTotal, 1);
    assert.match(
      events(byNode)[0]!.payload.message!,
      new RegExp(`^scan node:ns=2;s=XrayScanner\\.Scans\\.${gone} was announced by the scanner but cannot be read: cannot browse`),
    );
    assert.equal(byNode.logs.filter((l) => l.msg === 'announced scan not readable yet; retrying').length, 2);
  });
});
