import assert from 'node:assert/strict';
import { decodeValue, encodeValue, wordCount, type RegisterType } from '../src/decode.js';

// Reference words computed independently with DataView (big-endian bytes, high word first).
function refWords(type: RegisterType, raw: number): number[] {
  const view = new DataView(new ArrayBuffer(4));
  if (type === 'f32') view.setFloat32(0, raw);
  else if (type === 'u32') view.setUint32(0, raw);
  else if (type === 's32') view.setInt32(0, raw);
  else if (type === 'u16') view.setUint16(0, raw);
  else view.setInt16(0, raw);
  const hi = view.getUint16(0);
  return wordCount(type) === 1 ? [hi] : [hi, view.getUint16(2)];
}

describe('decodeValue / encodeValue', () => {
  it('decodes published examples: 25.0 f32 is 0x41C8 0x0000; 0x0001 0x2345 u32 is 74565', () => {
    assert.equal(decodeValue([0x41c8, 0x0000], { type: 'f32' }), 25);
    assert.equal(decodeValue([0x0000, 0x41c8], { type: 'f32', wordOrder: 'little' }), 25);
    assert.equal(decodeValue([0x0001, 0x2345], { type: 'u32' }), 0x12345);
    assert.equal(decodeValue([0x2345, 0x0001], { type: 'u32', wordOrder: 'little' }), 0x12345);
  });

  it('decodes signed values in two’s complement', () => {
    assert.equal(decodeValue([0xfffe], { type: 's16' }), -2);
    assert.equal(decodeValue([0xfffe], { type: 'u16' }), 0xfffe);
    assert.equal(decodeValue([0xffff, 0xff38], { type: 's32' }), -200);
  });

  it('applies scale then offset: BDKG-05 temperature u16/256', () => {
    assert.equal(decodeValue([0x1680], { type: 'u16', scale: 1 / 256 }), 22.5);
    assert.equal(decodeValue([100], { type: 'u16', scale: 0.5, offset: -10 }), 40);
  });

  it('encodes what DataView encodes, in both word orders, and round-trips', () => {
    const cases: Array<[RegisterType, number]> = [
      ['u16', 54321],
      ['s16', -1234],
      ['u32', 3_000_000_000],
      ['s32', -70_000],
      ['f32', 1.25e-7],
    ];
    for (const [type, raw] of cases) {
      const big = refWords(type, raw);
      assert.deepEqual(encodeValue(raw, { type }), big, `${type} big`);
      assert.deepEqual(encodeValue(raw, { type, wordOrder: 'little' }), [...big].reverse(), `${type} little`);
      const back = decodeValue(encodeValue(raw, { type, wordOrder: 'little' }), { type, wordOrder: 'little' });
      assert.equal(back, type === 'f32' ? Math.fround(raw) : raw);
    }
  });

  it('encodes an engineering value through scale and offset, rounding integer steps', () => {
    const format = { type: 'u16' as const, scale: 1 / 256 };
    assert.deepEqual(encodeValue(22.5, format), [22.5 * 256]);
    assert.deepEqual(encodeValue(21.0019, format), [Math.round(21.0019 * 256)]);
    assert.deepEqual(encodeValue(40, { type: 'u16', scale: 0.5, offset: -10 }), [100]);
  });

  it('refuses values out of range and word counts that do not fit the type', () => {
    assert.throws(() => encodeValue(70_000, { type: 'u16' }), /out of range for u16/);
    assert.throws(() => encodeValue(-1, { type: 'u32' }), /out of range for u32/);
    assert.throws(() => encodeValue(Number.NaN, { type: 'f32' }), RangeError);
    assert.throws(() => decodeValue([1], { type: 'f32' }), /f32 needs 2 register\(s\), got 1/);
  });
});
