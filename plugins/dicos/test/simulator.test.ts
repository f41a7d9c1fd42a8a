import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestHarness, directoryRawStore } from '@customs-hub/sdk/testing';
import type { Logger, Observation, RunningSimulator } from '@customs-hub/sdk';
import { plugin, simulators } from '../src/index.js';
import type { DicosConfig } from '../src/config.js';
import { rawString, sampleBytes, SHARED_SAMPLES, tempDir, validated } from './helpers.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const simulator = simulators.find((s) => s.name === 'dicos')!;

async function run(dir: string, options: Record<string, unknown>, files: number): Promise<string[]> {
  const sim: RunningSimulator = await simulator.start({ dir, ...options }, silent);
  try {
    const end = Date.now() + 5000;
    while (readdirSync(dir).length < files && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  } finally {
    await sim.stop();
  }
  return readdirSync(dir).sort();
}

describe('dicos: simulator', () => {
  it('drops bags (an image and its TDR) as fresh, readable copies of the samples', async () => {
    const dir = tempDir('sim');
    const before = Date.now();
    const names = await run(dir, { intervalS: 0.02, seed: 7, threatRate: 0.5 }, 6);
    const after = Date.now();
    assert.ok(names.length >= 6, `${names.length} files`);
    assert.ok(
      names.every((n) => /^bag-BG07\d{4}-(image|tdr)\.dcs$/.test(n)),
      names.join(','),
    );
    const sampleUids = readdirSync(SHARED_SAMPLES)
      .filter((n) => n.endsWith('.dcs'))
      .map((n) => rawString(sampleBytes(n), 0x0008, 0x0018, 'UI'));
    const sampleSizes = readdirSync(SHARED_SAMPLES)
      .filter((n) => n.endsWith('.dcs'))
      .map((n) => sampleBytes(n).length);
    const uids = new Set<string>();
    for (const name of names) {
      const bytes = readFileSync(join(dir, name));
      assert.ok(sampleSizes.includes(bytes.length), 'rewritten in place: same size as a sample');
      const uid = rawString(bytes, 0x0008, 0x0018, 'UI');
      assert.equal(rawString(bytes, 0x0002, 0x0003, 'UI', 0), uid, 'meta group carries the new UID too');
      assert.ok(!sampleUids.includes(uid) && !uids.has(uid), `fresh UID ${uid}`);
      uids.add(uid);
      const drafts = await plugin.files!.read({ path: join(dir, name), name }, { storeRaw: directoryRawStore(tempDir('raw')), logger: silent });
      const obs = validated(drafts[0]!);
      assert.equal(obs.kind, name.endsWith('-tdr.dcs') ? 'xray.threat-report' : 'xray.scan');
      assert.equal(obs.conveyance.itemId, name.slice(4, 12), 'the bag id is the object of inspection id');
      if (obs.kind === 'xray.threat-report') {
        const p = obs.payload as Observation<'xray.threat-report'>['payload'];
        assert.equal(p.alarmDecision, p.threats.length > 0 ? 'ALARM' : 'CLEAR');
      }
      const t = Date.parse(obs.deviceTime);
      assert.ok(t >= before - 1 && t <= after + 1, `device time ${obs.deviceTime} is now`);
    }
  });

  it('is reproducible by seed', async () => {
    const uidsOf = async (dir: string) =>
      (await run(dir, { intervalS: 60, seed: 42 }, 2)).map((n) => rawString(readFileSync(join(dir, n)), 0x0008, 0x0018, 'UI'));
    const a = await uidsOf(tempDir('sim'));
    assert.equal(a.length, 2);
    assert.deepEqual(await uidsOf(tempDir('sim')), a);
  });

  it('feeds a driver watching its folder: image and TDR of a bag share the object of inspection id', async () => {
    const dir = tempDir('sim');
    const h = new TestHarness<DicosConfig>(plugin, { config: { watchDir: dir, pollIntervalMs: 20 } });
    await h.start();
    const sim = await simulator.start({ dir, intervalS: 0.05, seed: 3, threatRate: 1 }, silent);
    try {
      await h.waitFor(() => h.observations.length >= 4, 5000, 'two bags');
    } finally {
      await sim.stop();
      await h.stop();
    }
    assert.deepEqual(h.rejected, []);
    const tdrs = h.observations.filter((o) => o.kind === 'xray.threat-report') as Array<Observation<'xray.threat-report'>>;
    const scans = h.observations.filter((o) => o.kind === 'xray.scan');
    assert.ok(tdrs.length >= 2 && scans.length >= 2);
    for (const tdr of tdrs.slice(0, 2)) {
      assert.equal(tdr.payload.threats.length, 1, 'threat rate 1: every TDR reports its threat');
      assert.equal(tdr.payload.alarmDecision, 'ALARM');
      assert.deepEqual(
        tdr.alarms.map((a) => [a.category, a.level, a.value]),
        [['xray', 'alarm', 1]],
      );
      assert.ok(
        scans.some((s) => s.conveyance.itemId === tdr.conveyance.itemId),
        `an image of bag ${tdr.conveyance.itemId}`,
      );
    }
  });

  it("driven by the lane twin: an item id longer than the sample's (an air waybill) is written whole, and the files still read", async () => {
    const dir = tempDir('sim-driven');
    const h = new TestHarness<DicosConfig>(plugin, { config: { watchDir: dir, pollIntervalMs: 20 } });
    await h.start();
    const sim = (await simulator.start({ dir, traffic: 'driven', seed: 3 }, silent)) as RunningSimulator & {
      pass(v: import('@customs-hub/sdk').VehiclePass): void;
    };
    try {
      sim.pass({ vehicleId: 'V1', lane: 'AIR-1', at: new Date(), conveyance: 'uld', itemId: '02012345675', xray: { meanDensity: 1, findings: [] } });
      await h.waitFor(() => h.observations.length >= 2, 5000, "the ULD's image and TDR");
    } finally {
      await sim.stop();
      await h.stop();
    }
    assert.deepEqual(h.rejected, []);
    assert.deepEqual(
      h.observations.map((o) => o.conveyance.itemId),
      ['02012345675', '02012345675'],
    );
  });

  it('refuses bad options with a message naming the flag', async () => {
    await assert.rejects(simulator.start({ dir: tempDir('sim'), intervalS: 0 }, silent), /--interval-s must be a positive number, got 0/);
    await assert.rejects(simulator.start({ dir: tempDir('sim'), threatRate: 2 }, silent), /--threat-rate must be within 0\.\.1/);
  });
});
