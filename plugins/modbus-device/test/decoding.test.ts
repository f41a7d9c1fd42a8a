import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestHarness } from '@customs-hub/sdk/testing';
import type { ModbusDeviceConfig } from '../src/config.js';
import { plugin } from '../src/index.js';
import type { Profile, RegisterDef } from '../src/profile.js';
import { loadProfile } from '../src/profile-loader.js';
import { fieldName } from '../src/simulator/register-image.js';
import { ProfileSimulator } from '../src/simulator/profile-simulator.js';
import { close, freePort, profileVariant, referenceDecode } from './helpers.js';

/** The value a register holds on the simulator right now, decoded independently of the plugin. */
function served(sim: ProfileSimulator, r: RegisterDef): number | boolean {
  if (r.type === 'bool') return sim.current.read(r.table, r.address, 1)[0] as boolean;
  const words = sim.current.read(r.table, r.address, r.type.endsWith('16') ? 1 : 2) as number[];
  if (r.bit !== undefined) return ((words[0]! >> r.bit) & 1) === 1;
  return referenceDecode(words, r.type, r.wordOrder) * r.scale + r.offset;
}

function fieldOf(obs: { payload: unknown; extensions?: Record<string, unknown> }, r: RegisterDef): unknown {
  if (r.field.target === 'payload') return (obs.payload as Record<string, unknown>)[r.field.key];
  if (r.field.target === 'values') return (obs.payload as { values: Record<string, { value: unknown }> }).values[r.field.key]?.value;
  return (obs.extensions!['modbus-device'] as Record<string, unknown>)[r.field.key];
}

// The simulator is frozen (long tick), so what it serves is what the driver must have decoded.
async function pollOnce(profileRef: string, profile: Profile) {
  const port = await freePort();
  const sim = new ProfileSimulator(profile, { host: '127.0.0.1', port, seed: 11, tickMs: 60_000 });
  for (let i = 0; i < 40; i++) sim.advance(); // move off the initial state (a bump or a vehicle may be on)
  // a weighbridge reports a weighing only of a vehicle standing still on the deck
  if (profile.weighing) while (!(sim.intended('payload.stable') && Number(sim.intended('payload.grossKg')) >= profile.weighing.emptyBelowKg)) sim.advance();
  await sim.start();
  const config: ModbusDeviceConfig = { profile: profileRef, host: '127.0.0.1', port, pollIntervalMs: 100 };
  const h = new TestHarness(plugin, { config });
  try {
    await h.start();
    await h.waitFor(() => h.observations.length >= 1, 5000, 'an observation');
  } finally {
    await h.stop();
    await sim.stop();
  }
  return { sim, h, obs: h.observations[0]! };
}

describe('modbus-device decoding', () => {
  for (const name of ['bdkg-05', 'weighbridge']) {
    it(`decodes every ${name} register as the simulator encoded it`, async () => {
      const profile = await loadProfile(name);
      const { sim, h, obs } = await pollOnce(name, profile);
      assert.deepEqual(h.rejected, []);
      assert.equal(obs.kind, profile.kind);
      for (const r of profile.registers) {
        const expected = served(sim, r);
        const got = fieldOf(obs, r);
        // a weighing leaves out a tare of 0: the indicator has none stored for the vehicle
        if (profile.weighing && r.field.key === 'tareKg' && expected === 0) {
          assert.equal(got, undefined, r.name);
          continue;
        }
        if (typeof expected === 'boolean') assert.equal(got, expected, r.name);
        else assert.ok(close(got, expected), `${r.name}: got ${String(got)}, served ${expected}`);
      }
    });
  }

  it('turns the BDKG-05 dose rate from Sv/h into µSv/h, as the scenario meant it', async () => {
    const profile = await loadProfile('bdkg-05');
    const { sim, obs } = await pollOnce('bdkg-05', profile);
    const dose = profile.registers.find((r) => r.name === 'doseRate')!;
    const words = sim.current.read('input', 0x0008, 2) as number[];
    const sievertsPerHour = referenceDecode(words, 'f32', 'big');
    assert.ok(sievertsPerHour > 1e-8 && sievertsPerHour < 1e-5, `served ${sievertsPerHour} Sv/h, a plausible ambient rate`);
    const payload = obs.payload as { doseRateUSvH: number; temperatureC: number };
    assert.ok(close(payload.doseRateUSvH, sievertsPerHour * 1e6));
    // what the scenario meant, through the device's f32 Sv/h encoding
    assert.ok(close(payload.doseRateUSvH, Math.fround((sim.intended(fieldName(dose)) as number) / 1e6) * 1e6));
    const tempWord = sim.current.read('input', 0x0001, 1)[0] as number;
    assert.equal(payload.temperatureC, tempWord / 256);
    assert.match((obs.extensions!['modbus-device'] as { registers: string[] }).registers[0]!, /^input@0x0001: ([0-9A-F]{4} ){12}[0-9A-F]{4}$/);
  });

  it('reads 32-bit values in little word order when the profile says so', async () => {
    const file = profileVariant('bdkg-05', [['wordOrder: big', 'wordOrder: little']]);
    const profile = await loadProfile(file);
    assert.ok(profile.registers.every((r) => r.wordOrder === 'little'));
    const { sim, obs } = await pollOnce(file, profile);
    const words = sim.current.read('input', 0x0008, 2) as number[];
    const doseLittle = referenceDecode(words, 'f32', 'little') * 1e6;
    const doseIfBig = referenceDecode(words, 'f32', 'big') * 1e6;
    assert.ok(close((obs.payload as { doseRateUSvH: number }).doseRateUSvH, doseLittle));
    assert.ok(!close(doseIfBig, doseLittle), 'the two word orders give different values here');
    const count = referenceDecode(sim.current.read('input', 0x0002, 2) as number[], 'u32', 'little');
    assert.equal((obs.payload as { countRateCps: number }).countRateCps, count);
  });

  it('reads a telemetry profile (holding registers and coils) into payload.values with units', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'modbus-profile-')), 'cabinet.yaml');
    writeFileSync(
      file,
      [
        'name: cabinet',
        'kind: telemetry',
        'defaults: { table: holding, unitId: 3 }',
        'registers:',
        '  - { name: supplyVoltage, address: 10, type: u16, scale: 0.01, unit: V, simulate: { min: 23.5, max: 24.5 } }',
        '  - { name: cabinetTemp, address: 11, type: s16, scale: 0.1, unit: Cel, simulate: { min: -20, max: 45 } }',
        '  - { name: doorOpen, table: coil, address: 0 }',
        '',
      ].join('\n'),
    );
    const profile = await loadProfile(file);
    const { sim, obs } = await pollOnce(file, profile);
    const values = (obs.payload as { values: Record<string, { value: unknown; unit?: string }> }).values;
    const volts = (sim.current.read('holding', 10, 1)[0] as number) * 0.01;
    assert.ok(close(values.supplyVoltage!.value, volts) && volts >= 23.5 && volts <= 24.5, `supply ${volts} V`);
    assert.equal(values.supplyVoltage!.unit, 'V');
    assert.ok(close(values.cabinetTemp!.value, referenceDecode([sim.current.read('holding', 11, 1)[0] as number], 's16', 'big') * 0.1));
    assert.deepEqual(values.doorOpen, { value: false });
  });

  it('raises the alarms a profile declares, with value and threshold', async () => {
    const file = profileVariant('bdkg-05', [['above: 0.3', 'above: 0.01']]);
    const profile = await loadProfile(file);
    const { obs } = await pollOnce(file, profile);
    const dose = (obs.payload as { doseRateUSvH: number }).doseRateUSvH;
    assert.deepEqual(obs.alarms, [
      { category: 'gamma', source: 'device', level: 'alarm', message: 'ambient dose rate above the investigation level', value: dose, threshold: 0.01 },
    ]);
  });
});
