import assert from 'node:assert/strict';
import { TestHarness } from '@customs-hub/sdk/testing';
import type { Observation } from '@customs-hub/sdk';
import { plugin, type XraySimulator } from '../src/index.js';
import { VERDICT_FINDING_CLASS } from '../src/scan-draft.js';
import { configFor, startSimulator } from './helpers.js';

const scans = (h: TestHarness<unknown>) => h.observations.filter((o): o is Observation<'xray.scan'> => o.kind === 'xray.scan');

describe('xray-opcua: a vendor model with other words and types', function () {
  this.timeout(30000);
  let sim: XraySimulator | null = null;
  let h: TestHarness<unknown> | null = null;

  afterEach(async () => {
    await h?.stop();
    h = null;
    await sim?.stop();
    sim = null;
  });

  it('maps status words, verdicts, basic-offset string times and delimited containers, noting the repairs', async () => {
    const s = await startSimulator({
      vendor: {
        statusWords: { Ready: 'Idle', Scanning: 'Busy', Fault: 'Error' },
        verdicts: { clear: 'OK', suspect: 'ALARM' },
        times: 'iso-basic',
        containers: 'delimited',
      },
    });
    sim = s;
    h = new TestHarness(plugin, {
      config: configFor(s, {
        statusWords: { Idle: 'online', Busy: 'busy', Error: 'fault' },
        verdicts: { OK: 'clear', ALARM: 'suspect' },
        listSeparator: ';',
      }),
    });
    const harness = h;
    await harness.start();
    await harness.waitFor(() => harness.statuses.some((x) => x.detail.startsWith('connected')), 10000, 'connection');
    const made = [await s.scan({ findings: false, invalidContainer: false }), await s.scan({ findings: true }), await s.scan({ findings: false })];
    await harness.waitFor(() => scans(harness).length === 3, 15000, 'three scans');
    const [clear, suspect] = scans(harness);

    // Times: the instant the scanner meant, its +0300 offset read and noted; the quality stays good.
    assert.equal(clear!.payload.startedAt, made[0]!.startedAt.toISOString());
    assert.equal(clear!.deviceTime, made[0]!.endedAt.toISOString());
    assert.deepEqual(clear!.quality, { status: 'good', reasons: ['StartTime: UTC offset +0300 read as +03:00', 'EndTime: UTC offset +0300 read as +03:00'] });
    // Containers: one ';'-delimited string, split at the configured separator.
    assert.deepEqual(
      clear!.conveyance.containers.map((c) => c.number),
      made[0]!.containers,
    );
    assert.ok(made.some((m) => m.containers.length === 2) || made[0]!.containers.length === 1);
    // Verdict: OK raises nothing; ALARM raises the verdict alarm beside the scanner's own findings.
    assert.deepEqual(clear!.alarms, []);
    assert.equal((clear!.extensions?.['xray-opcua'] as { verdict?: string }).verdict, 'OK');
    assert.equal(suspect!.alarms[0]!.message, 'scanner verdict: ALARM');
    assert.equal(suspect!.alarms.length, 1 + made[1]!.findings.length + made[1]!.annotations.length);
    assert.ok(!suspect!.payload.findings.some((f) => f.class === VERDICT_FINDING_CLASS));
    // Status: Idle/Busy on every scan is not a change of health; no event, no degraded status.
    assert.ok(!harness.statuses.some((x) => x.type === 'degraded'), harness.statuses.map((x) => x.detail).join('; '));
    assert.ok(harness.statuses.some((x) => x.detail === 'scanner Idle'));
    assert.equal(harness.observations.filter((o) => o.kind === 'device.event').length, 0);

    s.setStatus('Fault', 'tube arc');
    await harness.waitFor(() => harness.observations.some((o) => o.kind === 'device.event'), 5000, 'the fault event');
    const event = harness.observations.find((o): o is Observation<'device.event'> => o.kind === 'device.event')!;
    assert.deepEqual([event.payload.event, event.payload.code, event.payload.message], ['fault', 'Error', 'tube arc']);
  });

  it('reads zoneless string times in the configured zone and marks those scans uncertain', async () => {
    const s = await startSimulator({ vendor: { times: 'local' } });
    sim = s;
    h = new TestHarness(plugin, { config: configFor(s, { timeZone: 'Europe/Moscow' }) });
    const harness = h;
    await harness.start();
    const made = await s.scan({ findings: false });
    await harness.waitFor(() => scans(harness).length === 1, 10000, 'the scan');
    const obs = scans(harness)[0]!;
    assert.equal(obs.payload.startedAt, made.startedAt.toISOString());
    assert.equal(obs.deviceTime, made.endedAt.toISOString());
    assert.equal(obs.quality.status, 'uncertain');
    assert.deepEqual(obs.quality.reasons, [
      "StartTime: device time had no time zone; read in the device's zone Europe/Moscow",
      "EndTime: device time had no time zone; read in the device's zone Europe/Moscow",
    ]);
  });

  it('a scanner without a status node is online with a note on its scans, never faulted', async () => {
    const s = await startSimulator({ vendor: { statusNode: false } });
    sim = s;
    h = new TestHarness(plugin, { config: configFor(s) });
    const harness = h;
    await harness.start();
    await harness.waitFor(() => harness.statuses.some((x) => x.detail.startsWith('connected')), 10000, 'connection');
    const connected = harness.statuses.find((x) => x.detail.startsWith('connected'))!;
    assert.equal(connected.type, 'ok');
    assert.match(
      connected.detail,
      /the scanner has no status node \(nsu=urn:customs-hub:xray-scanner;s=XrayScanner\.Status\): status unknown, taken as online$/,
    );
    const made = await s.scan({ findings: false });
    await harness.waitFor(() => scans(harness).length === 1, 10000, 'the scan');
    assert.equal(scans(harness)[0]!.payload.scanId, made.scanId);
    assert.deepEqual(scans(harness)[0]!.quality, {
      status: 'good',
      reasons: ['scanner status unknown (no status node nsu=urn:customs-hub:xray-scanner;s=XrayScanner.Status); taken as online'],
    });
    assert.ok(!harness.statuses.some((x) => x.type === 'fault'));
  });
});
