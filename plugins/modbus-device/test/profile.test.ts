import assert from 'node:assert/strict';
import { planBlocks } from '../src/blocks.js';
import { loadProfile, parseProfile } from '../src/profile-loader.js';

const BASE = `name: t
kind: weight
defaults: { table: holding }
registers:
  - { name: gross, address: 0, type: s32, field: payload.grossKg }
  - { name: stable, address: 2, type: u16, bit: 0, field: payload.stable }
`;

function error(text: string): string {
  try {
    parseProfile(text, 'x.yaml');
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the profile to be refused');
}

describe('device profiles', () => {
  it('loads the shipped BDKG-05 map as published (DOMAIN.md §2)', async () => {
    const p = await loadProfile('bdkg-05');
    assert.equal(p.kind, 'radiation.dose-rate');
    assert.equal(p.unitId, 1);
    const map = p.registers.map((r) => [r.name, r.table, r.address, r.type, r.scale]);
    assert.deepEqual(map, [
      ['temperature', 'input', 0x0001, 'u16', 1 / 256],
      ['countRate', 'input', 0x0002, 'u32', 1],
      ['averageCountRate', 'input', 0x0004, 'f32', 1],
      ['countRateError', 'input', 0x0006, 'f32', 1],
      ['doseRate', 'input', 0x0008, 'f32', 1e6],
      ['doseRateError', 'input', 0x000a, 'f32', 1],
      ['accumulatedDose', 'input', 0x000c, 'f32', 1e6],
    ]);
    assert.ok(p.registers.every((r) => r.wordOrder === 'big'));
  });

  it('plans one read per run of adjacent registers', async () => {
    const bdkg = planBlocks((await loadProfile('bdkg-05')).registers);
    assert.deepEqual(
      bdkg.map((b) => [b.functionCode, b.address, b.count]),
      [[4, 1, 13]],
    );
    const wb = planBlocks((await loadProfile('weighbridge')).registers);
    assert.deepEqual(
      wb.map((b) => [b.functionCode, b.address, b.count]),
      [[3, 0, 5]],
    );
    const gap = planBlocks(parseProfile(BASE.replace('address: 2,', 'address: 10,'), 'x.yaml').registers);
    assert.deepEqual(
      gap.map((b) => [b.address, b.count]),
      [
        [0, 2],
        [10, 1],
      ],
    );
  });

  it('accepts a minimal profile with defaults filled in', () => {
    const p = parseProfile(BASE, 'x.yaml');
    assert.equal(p.framing, 'tcp');
    assert.equal(p.pollIntervalMs, 1000);
    assert.deepEqual(p.registers[1]!.field, { target: 'payload', key: 'stable' });
  });

  it('refuses bad profiles with the file, line and key', () => {
    assert.equal(
      error(BASE.replace('kind: weight', 'kind: laser')),
      'device profile x.yaml:2: kind: must be one of radiation.dose-rate, weight, telemetry, got "laser"',
    );
    assert.equal(
      error(BASE.replace('field: payload.grossKg', 'field: payload.massKg')),
      "device profile x.yaml:5: registers[0].field: weight payload has no field 'massKg' (it has: grossKg, tareKg, stable, axles)",
    );
    assert.equal(
      error(BASE.replace('bit: 0, field: payload.stable', 'field: payload.stable')),
      "device profile x.yaml:6: registers[1].field: payload.stable is a boolean, but register 'stable' gives a number",
    );
    assert.equal(
      error(BASE.replace(/ {2}- \{ name: stable.*\n/, '')),
      'device profile x.yaml:5: registers: no register fills the required weight field(s): payload.stable',
    );
    assert.equal(
      error(BASE.replace('address: 0,', 'address: 70000,')),
      'device profile x.yaml:5: registers[0].address: must be between 0 and 65535, got 70000',
    );
    assert.equal(
      error(`${BASE}  - { name: x, address: 9, type: u16, colour: red }\n`),
      'device profile x.yaml:7: registers[2].colour: unknown key (allowed: name, table, address, type, wordOrder, scale, offset, bit, unit, field, simulate)',
    );
    assert.match(error('name: t\nkind: [weight\n'), /^device profile x\.yaml:\d+: YAML: /);
  });

  it('names the missing file and the shipped profiles', async () => {
    await assert.rejects(loadProfile('geiger-9000'), /device profile .*profiles\/geiger-9000\.yaml: not found \(shipped profiles: bdkg-05, weighbridge\)/);
  });
});
