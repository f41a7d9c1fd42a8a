import assert from 'node:assert/strict';
import { ModbusLink } from '@customs-hub/modbus-link';
import type { Logger } from '@customs-hub/sdk';
import { simulators } from '../src/index.js';
import { loadProfile } from '../src/profile-loader.js';
import { ProfileSimulator } from '../src/simulator/profile-simulator.js';
import { freePort } from './helpers.js';

const quiet: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return quiet;
  },
};

async function trace(profile: string, seed: number, ticks: number, table: 'input' | 'holding', address: number, count: number) {
  const sim = new ProfileSimulator(await loadProfile(profile), { host: '127.0.0.1', port: 1, seed });
  const out: Array<Array<number | boolean>> = [];
  for (let i = 0; i < ticks; i++) {
    sim.advance();
    out.push(sim.current.read(table, address, count));
  }
  return out;
}

describe('modbus-device simulator', () => {
  it('is deterministic by seed', async () => {
    assert.deepEqual(await trace('bdkg-05', 5, 50, 'input', 1, 13), await trace('bdkg-05', 5, 50, 'input', 1, 13));
    assert.notDeepEqual(await trace('bdkg-05', 5, 50, 'input', 1, 13), await trace('bdkg-05', 6, 50, 'input', 1, 13));
  });

  it('keeps the dose rate around background with occasional bumps', async () => {
    const sim = new ProfileSimulator(await loadProfile('bdkg-05'), { host: '127.0.0.1', port: 1, seed: 2 });
    const doses: number[] = [];
    for (let i = 0; i < 2000; i++) {
      sim.advance();
      const w = sim.current.read('input', 8, 2) as number[];
      const view = new DataView(new ArrayBuffer(4));
      view.setUint16(0, w[0]!);
      view.setUint16(2, w[1]!);
      doses.push(view.getFloat32(0) * 1e6);
    }
    const sorted = [...doses].sort((a, b) => a - b);
    const median = sorted[1000]!;
    assert.ok(median > 0.08 && median < 0.14, `median ${median} µSv/h is background`);
    assert.ok(sorted[1999]! > 0.3, `a bump reaches ${sorted[1999]} µSv/h`);
    assert.ok(doses.filter((d) => d > 0.3).length < 200, 'bumps are occasional');
  });

  it('cycles the weighbridge: empty, loading (unstable), stable at a gross mass', async () => {
    const sim = new ProfileSimulator(await loadProfile('weighbridge'), { host: '127.0.0.1', port: 1, seed: 4 });
    const seen = new Set<string>();
    for (let i = 0; i < 400; i++) {
      sim.advance();
      const [hi, lo, , , status] = sim.current.read('holding', 0, 5) as number[];
      const gross = (hi! << 16) | lo!;
      const stable = (status! & 1) === 1;
      seen.add(gross === 0 ? 'empty' : stable ? (gross >= 1000 ? 'stable-loaded' : 'stable-light') : 'moving');
    }
    assert.ok(seen.has('empty') && seen.has('moving') && seen.has('stable-loaded'), [...seen].join(','));
  });

  it('runs through the exported simulator definition and serves over the wire', async () => {
    const port = await freePort();
    const running = await simulators[0]!.start({ profile: 'weighbridge', port: String(port), seed: '9', tickMs: '1000' }, quiet);
    const link = new ModbusLink({ host: '127.0.0.1', port });
    try {
      assert.equal(running.describe(), `modbus-device weighbridge (tcp) on 127.0.0.1:${port}`);
      const words = await link.readHoldingRegisters(1, 0, 5);
      assert.equal(words.length, 5);
      await assert.rejects(link.readHoldingRegisters(1, 5, 1), { name: 'ModbusExceptionError', exceptionCode: 2 });
    } finally {
      await link.close();
      await running.stop();
    }
    await assert.rejects(simulators[0]!.start({ profile: 'weighbridge', port: 'x' }, quiet), /--port must be an integer 1–65535, got x/);
  });
});
