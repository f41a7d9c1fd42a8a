import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rawFilePath, TestHarness } from '@customs-hub/sdk/testing';
import { definePlugin, type Observation } from '@customs-hub/sdk';
import { plugin } from '../src/index.js';
import type { DicosConfig } from '../src/config.js';
import { sampleBytes, sha256, SHARED_SAMPLES, tempDir } from './helpers.js';

const SAMPLES = ['baggage-tdr-no-threat.dcs', 'baggage-tdr-threat.dcs', 'dx-for-presentation.dcs', 'dx-for-processing.dcs'];

function harness(watchDir: string): TestHarness<DicosConfig> {
  return new TestHarness<DicosConfig>(plugin, { config: { watchDir, pollIntervalMs: 25 }, device: { id: 'bag-p1', lane: 'P1' } });
}

function drop(dir: string, sample: string, as = sample): void {
  copyFileSync(join(SHARED_SAMPLES, sample), join(dir, as));
}

function files(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

describe('dicos: hot folder', () => {
  let h: TestHarness<DicosConfig>;
  let dir: string;
  beforeEach(() => {
    dir = tempDir('watch');
    h = harness(dir);
  });
  afterEach(async () => {
    await h.stop();
  });

  it('ingests every dropped file and moves it to done/ once its observation is stored', async () => {
    await h.start();
    for (const s of SAMPLES) drop(dir, s);
    await h.waitFor(() => files(join(dir, 'done')).length === 4, 5000, 'four files in done/');
    assert.deepEqual(files(dir), ['done']);
    assert.deepEqual(files(join(dir, 'done')), SAMPLES);
    assert.equal(h.observations.length, 4, 'a file reaches done/ only after its emit resolved');
    assert.deepEqual(h.rejected, []);
    const bySource = new Map(h.observations.map((o) => [o.raw![0]!.name, o]));
    assert.deepEqual(
      SAMPLES.map((s) => bySource.get(s)!.kind),
      ['xray.threat-report', 'xray.threat-report', 'xray.scan', 'xray.scan'],
    );
    for (const s of SAMPLES) {
      const raw = bySource.get(s)!.raw![0]!;
      assert.equal(raw.sha256, sha256(sampleBytes(s)));
      assert.deepEqual(readFileSync(rawFilePath(join(h.dataDir, 'raw'), raw.sha256)), sampleBytes(s));
    }
    assert.ok(h.observations.every((o) => o.deviceId === 'bag-p1' && o.lane === 'P1'));
    assert.equal(h.statuses.filter((s) => s.type !== 'ok').length, 0);
  });

  it('moves a bad file to rejected/ with its reason, keeps its bytes and reports it', async () => {
    await h.start();
    const junk = Buffer.from('PK\x03\x04 a zip file, not a DICOS image'.padEnd(300, '.'));
    writeFileSync(join(dir, 'scan-0001.dcs'), junk);
    await h.waitFor(() => files(join(dir, 'rejected')).length === 2, 5000, 'file and reason in rejected/');
    const reason = "not a DICOS file: no 'DICM' marker after the 128-byte preamble (found 0x2e2e2e2e)";
    assert.deepEqual(files(join(dir, 'rejected')), ['scan-0001.dcs', 'scan-0001.dcs.reason.txt']);
    assert.equal(readFileSync(join(dir, 'rejected', 'scan-0001.dcs.reason.txt'), 'utf8'), `${reason}\n`);
    assert.deepEqual(readFileSync(join(dir, 'rejected', 'scan-0001.dcs')), junk);
    const ev = h.observations.find((o) => o.kind === 'device.event') as Observation<'device.event'>;
    assert.deepEqual(ev.payload, {
      event: 'other',
      code: 'FILE_REJECTED',
      message: `scan-0001.dcs: ${reason}`,
      values: { file: 'scan-0001.dcs', size: junk.length },
    });
    assert.equal(ev.quality.status, 'bad');
    assert.deepEqual(readFileSync(rawFilePath(join(h.dataDir, 'raw'), ev.raw![0]!.sha256)), junk);
    await h.waitFor(() => h.statuses.some((s) => s.type === 'failure'), 5000, 'the failure status');
    assert.deepEqual(
      h.statuses.filter((s) => s.type === 'failure').map((s) => s.detail),
      [`rejected scan-0001.dcs: ${reason}`],
    );
  });

  it('re-ingesting the same object creates no duplicate and keeps both copies in done/', async () => {
    await h.start();
    drop(dir, 'baggage-tdr-threat.dcs', 'bag.dcs');
    await h.waitFor(() => files(join(dir, 'done')).length === 1, 5000, 'first copy done');
    drop(dir, 'baggage-tdr-threat.dcs', 'bag.dcs');
    await h.waitFor(() => files(join(dir, 'done')).length === 2, 5000, 'second copy done');
    assert.deepEqual(files(join(dir, 'done')), ['bag.2.dcs', 'bag.dcs']);
    assert.equal(h.observations.length, 1);
    const ingested = h.logs.filter((l) => l.msg === 'DICOS file ingested').map((l) => l.bindings.duplicate);
    assert.deepEqual(ingested, [false, true]);
  });

  it('leaves a file in place while its emit fails, and ingests it once storage is back', async () => {
    h.failEmits(2);
    await h.start();
    drop(dir, 'dx-for-presentation.dcs');
    await h.waitFor(() => h.statuses.filter((s) => s.type === 'failure').length === 2, 5000, 'two failures');
    await h.waitFor(() => files(join(dir, 'done')).length === 1, 5000, 'file done after recovery');
    assert.equal(h.observations.length, 1);
    assert.deepEqual(
      h.statuses.filter((s) => s.type === 'failure').map((s) => s.detail),
      Array(2).fill('dx-for-presentation.dcs: storage unavailable (injected by the test harness)'),
    );
    await h.waitFor(() => h.statuses.at(-1)!.type === 'ok', 5000, 'recovery reported');
    assert.equal(h.statuses.at(-1)!.detail, 'ingested dx-for-presentation.dcs');
  });

  it('sends a file whose observation the hub refuses outright to rejected/, without retrying it', async () => {
    // A hub that takes no xray.scan: its emit rejects with ObservationRejectedError (dead-lettered).
    const strict = definePlugin<DicosConfig>({
      manifest: { ...plugin.manifest, kinds: ['xray.threat-report', 'device.event'] },
      createDriver: plugin.createDriver,
    });
    const hs = new TestHarness<DicosConfig>(strict, { config: { watchDir: dir, pollIntervalMs: 25 } });
    try {
      await hs.start();
      drop(dir, 'dx-for-processing.dcs');
      await hs.waitFor(() => files(join(dir, 'rejected')).length === 2, 5000, 'file and reason in rejected/');
    } finally {
      await hs.stop();
    }
    const reason = "observation refused by the hub: kind 'xray.scan' is not in the manifest's kinds";
    assert.equal(readFileSync(join(dir, 'rejected', 'dx-for-processing.dcs.reason.txt'), 'utf8'), `${reason}\n`);
    assert.equal(hs.rejected.length, 1, 'emitted once, not retried');
    assert.deepEqual(
      hs.statuses.filter((s) => s.type === 'failure').map((s) => s.detail),
      [`rejected dx-for-processing.dcs: ${reason}`],
    );
  });

  it('ignores files still being written under a temporary name', async () => {
    await h.start();
    drop(dir, 'dx-for-processing.dcs', '.incoming.dcs.tmp');
    drop(dir, 'dx-for-processing.dcs', 'incoming.dcs.part');
    drop(dir, 'baggage-tdr-no-threat.dcs', 'marker.dcs');
    await h.waitFor(() => files(join(dir, 'done')).length === 1, 5000, 'the finished file beside them');
    assert.deepEqual(files(dir), ['.incoming.dcs.tmp', 'done', 'incoming.dcs.part']);
    renameSync(join(dir, '.incoming.dcs.tmp'), join(dir, 'incoming.dcs'));
    await h.waitFor(() => files(join(dir, 'done')).length === 2, 5000, 'the renamed file');
    assert.equal(h.observations.length, 2);
    assert.deepEqual(files(dir), ['done', 'incoming.dcs.part']);
    assert.deepEqual(files(join(dir, 'done')), ['incoming.dcs', 'marker.dcs']);
  });

  it('reports a watch folder that disappeared as a failure, and recovers when it is back', async () => {
    await h.start();
    rmSync(dir, { recursive: true });
    await h.waitFor(() => h.statuses.some((s) => s.type === 'failure'), 5000, 'a failure');
    assert.match(h.statuses.find((s) => s.type === 'failure')!.detail, /^cannot read watch folder .+: ENOENT/);
    assert.equal((await h.health())?.ok, false, 'health probe sees the folder gone');
    mkdirSync(dir);
    drop(dir, 'baggage-tdr-no-threat.dcs');
    await h.waitFor(() => h.observations.length === 1, 5000, 'ingest after recovery');
    await h.waitFor(() => h.statuses.at(-1)!.type === 'ok', 5000, 'recovery reported');
    assert.equal(h.statuses.at(-1)!.detail, 'ingested baggage-tdr-no-threat.dcs');
    assert.deepEqual(await h.health(), { ok: true, detail: `watch folder ${dir} readable` });
  });
});
