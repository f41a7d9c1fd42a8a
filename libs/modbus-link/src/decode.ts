/** Register value types: 16-bit values take one register, 32-bit values two. */
export type RegisterType = 'u16' | 's16' | 'u32' | 's32' | 'f32';

/** Which register of a 32-bit value comes first: 'big' (high word first, the Modbus norm) or 'little'. */
export type WordOrder = 'big' | 'little';

/** How to read a value: engineering value = raw × scale + offset. */
export interface ValueFormat {
  type: RegisterType;
  wordOrder?: WordOrder;
  scale?: number;
  offset?: number;
}

export const REGISTER_TYPES: readonly RegisterType[] = ['u16', 's16', 'u32', 's32', 'f32'];

/** Number of 16-bit registers a value of this type occupies. */
export function wordCount(type: RegisterType): 1 | 2 {
  return type === 'u16' || type === 's16' ? 1 : 2;
}

// Bytes inside a register are always big-endian in Modbus; only the order of registers varies.
function toBuffer(words: readonly number[], wordOrder: WordOrder): Buffer {
  const ordered = wordOrder === 'little' ? [...words].reverse() : words;
  const buf = Buffer.alloc(ordered.length * 2);
  ordered.forEach((w, i) => buf.writeUInt16BE(w & 0xffff, i * 2));
  return buf;
}

/**
 * Decodes the registers of one value into its engineering value.
 * Throws RangeError when the number of words does not fit the type.
 */
export function decodeValue(words: readonly number[], format: ValueFormat): number {
  const n = wordCount(format.type);
  if (words.length !== n) throw new RangeError(`${format.type} needs ${n} register(s), got ${words.length}`);
  const buf = toBuffer(words, format.wordOrder ?? 'big');
  let raw: number;
  switch (format.type) {
    case 'u16':
      raw = buf.readUInt16BE(0);
      break;
    case 's16':
      raw = buf.readInt16BE(0);
      break;
    case 'u32':
      raw = buf.readUInt32BE(0);
      break;
    case 's32':
      raw = buf.readInt32BE(0);
      break;
    case 'f32':
      raw = buf.readFloatBE(0);
      break;
  }
  return raw * (format.scale ?? 1) + (format.offset ?? 0);
}

const INTEGER_RANGE: Record<Exclude<RegisterType, 'f32'>, [number, number]> = {
  u16: [0, 0xffff],
  s16: [-0x8000, 0x7fff],
  u32: [0, 0xffffffff],
  s32: [-0x80000000, 0x7fffffff],
};

/**
 * Encodes an engineering value into registers, the inverse of decodeValue (used by simulators).
 * Integer types round to the nearest raw step; a value out of the type's range throws RangeError.
 */
export function encodeValue(value: number, format: ValueFormat): number[] {
  if (!Number.isFinite(value)) throw new RangeError(`cannot encode ${value}`);
  const raw = (value - (format.offset ?? 0)) / (format.scale ?? 1);
  const buf = Buffer.alloc(wordCount(format.type) * 2);
  if (format.type === 'f32') {
    buf.writeFloatBE(raw, 0);
  } else {
    const int = Math.round(raw);
    const [min, max] = INTEGER_RANGE[format.type];
    if (int < min || int > max) throw new RangeError(`${value} is out of range for ${format.type} (raw ${int})`);
    if (format.type === 'u16') buf.writeUInt16BE(int, 0);
    else if (format.type === 's16') buf.writeInt16BE(int, 0);
    else if (format.type === 'u32') buf.writeUInt32BE(int, 0);
    else buf.writeInt32BE(int, 0);
  }
  const words: number[] = [];
  for (let i = 0; i < buf.length; i += 2) words.push(buf.readUInt16BE(i));
  return (format.wordOrder ?? 'big') === 'little' ? words.reverse() : words;
}
