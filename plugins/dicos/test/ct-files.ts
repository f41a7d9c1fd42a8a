// Builds DICOS CT slice files for tests: explicit VR little endian Part-10, one frame of 16-bit samples.

const CT_CLASS = '1.2.840.10008.5.1.4.1.1.501.1';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const LONG_VRS = new Set(['OB', 'OW', 'SQ', 'UN', 'UT']);

function element(group: number, elem: number, vr: string, value: Buffer | string): Buffer {
  let v = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  if (v.length % 2) v = Buffer.concat([v, Buffer.from([vr === 'UI' ? 0 : 0x20])]);
  const head = Buffer.alloc(LONG_VRS.has(vr) ? 12 : 8);
  head.writeUInt16LE(group, 0);
  head.writeUInt16LE(elem, 2);
  head.write(vr, 4, 'latin1');
  if (LONG_VRS.has(vr)) head.writeUInt32LE(v.length, 8);
  else head.writeUInt16LE(v.length, 6);
  return Buffer.concat([head, v]);
}

const us = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};
const ul = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};

export interface SliceSpec {
  seriesUid: string;
  sopUid: string;
  instanceNumber?: number;
  /** Position along the scan axis; omitted: no Image Position. */
  z?: number;
  rows: number;
  columns: number;
  /** Sample at (x, y). */
  pixel: (x: number, y: number) => number;
  ooiId?: string;
}

/** One CT slice as a DICOS file. */
export function ctSliceFile(s: SliceSpec): Buffer {
  const metaRest = Buffer.concat([
    element(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    element(0x0002, 0x0002, 'UI', CT_CLASS),
    element(0x0002, 0x0003, 'UI', s.sopUid),
    element(0x0002, 0x0010, 'UI', EXPLICIT_LE),
  ]);
  const pixels = Buffer.alloc(s.rows * s.columns * 2);
  for (let y = 0; y < s.rows; y++) for (let x = 0; x < s.columns; x++) pixels.writeUInt16LE(s.pixel(x, y), (y * s.columns + x) * 2);
  const data = Buffer.concat([
    element(0x0008, 0x0016, 'UI', CT_CLASS),
    element(0x0008, 0x0018, 'UI', s.sopUid),
    element(0x0008, 0x0023, 'DA', '20261201'),
    element(0x0008, 0x0033, 'TM', '101500'),
    element(0x0008, 0x0060, 'CS', 'CT'),
    element(0x0010, 0x0020, 'LO', s.ooiId ?? 'BG0001'),
    element(0x0020, 0x000d, 'UI', `${s.seriesUid}.0`),
    element(0x0020, 0x000e, 'UI', s.seriesUid),
    ...(s.instanceNumber !== undefined ? [element(0x0020, 0x0013, 'IS', String(s.instanceNumber))] : []),
    ...(s.z !== undefined ? [element(0x0020, 0x0032, 'DS', `0\\0\\${s.z}`)] : []),
    element(0x0028, 0x0002, 'US', us(1)),
    element(0x0028, 0x0004, 'CS', 'MONOCHROME2'),
    element(0x0028, 0x0010, 'US', us(s.rows)),
    element(0x0028, 0x0011, 'US', us(s.columns)),
    element(0x0028, 0x0100, 'US', us(16)),
    element(0x0028, 0x0101, 'US', us(16)),
    element(0x0028, 0x0103, 'US', us(0)),
    element(0x7fe0, 0x0010, 'OW', pixels),
  ]);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), element(0x0002, 0x0000, 'UL', ul(metaRest.length)), metaRest, data]);
}
