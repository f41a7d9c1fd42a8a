/**
 * The customs-hub RPM register map (input registers, function 04). No public Modbus map of a portal
 * monitor exists, so this one is ours; every field can be moved and re-typed from config.
 * A header describes the portal; a ring of the last `slots` 200-ms samples lets a poll every ~1 s
 * collect every sample without loss (the sequence number tells which ones are new).
 */
export type RegisterType = 'u16' | 's16' | 'u32' | 's32' | 'f32';

export interface FieldFormat {
  /** Header fields: absolute register address. Ring fields: ignored (the slot layout places them). */
  address: number;
  type: RegisterType;
  wordOrder: 'big' | 'little';
  scale: number;
  offset: number;
}

export type RegisterMapOverrides = Partial<Record<MapField, Partial<FieldFormat>>>;

/** Header fields, read in one block at every poll. */
export const HEADER_FIELDS = [
  'status',
  'sampleSeq',
  'occupancyCount',
  'speedKmh',
  'gammaNSigma',
  'neutronThreshold',
  'gammaHighBackground',
  'gammaLowBackground',
  'neutronBackground',
] as const;
/** Per-sample values inside each ring slot; `ring` itself only gives the ring's start address. */
export const SAMPLE_FIELDS = ['gammaCount', 'neutronCount', 'windowCount'] as const;
export const MAP_FIELDS = [...HEADER_FIELDS, 'ring', ...SAMPLE_FIELDS] as const;
export type MapField = (typeof MAP_FIELDS)[number];
export type HeaderField = (typeof HEADER_FIELDS)[number];

/** Status register bits (header `status` and each slot's flags). */
export const STATUS_BITS = {
  occupied: 0x01,
  gammaAlarm: 0x02,
  neutronAlarm: 0x04,
  gammaHighBackground: 0x08,
  gammaLowBackground: 0x10,
  neutronHighBackground: 0x20,
  tamper: 0x40,
} as const;

const f = (address: number, type: RegisterType, scale = 1): FieldFormat => ({ address, type, wordOrder: 'big', scale, offset: 0 });

/** The documented default map (see README). */
export const DEFAULT_MAP: Record<MapField, FieldFormat> = {
  status: f(0x0000, 'u16'),
  sampleSeq: f(0x0001, 'u16'),
  occupancyCount: f(0x0002, 'u16'),
  speedKmh: f(0x0003, 'u16', 0.1),
  gammaNSigma: f(0x0004, 'u16', 0.1),
  neutronThreshold: f(0x0005, 'u16'),
  gammaHighBackground: f(0x0006, 'u32'),
  gammaLowBackground: f(0x0008, 'u32'),
  neutronBackground: f(0x000a, 'u32', 0.001),
  ring: f(0x0100, 'u16'),
  gammaCount: f(0, 'u16'),
  neutronCount: f(0, 'u16'),
  windowCount: f(0, 'u16'),
};

/** Samples the ring holds; slot = seq mod RING_SLOTS. */
export const RING_SLOTS = 8;

export function wordsOf(type: RegisterType): number {
  return type === 'u16' || type === 's16' ? 1 : 2;
}

/** Where each value of one ring slot sits, relative to the slot's start. */
export interface SlotLayout {
  words: number;
  seq: number;
  flags: number;
  windowLow: number;
  windowHigh: number;
  gamma: number[];
  neutron: number[];
}

/** The effective map: defaults merged with config overrides, plus the ring slot layout for n panels. */
export interface ResolvedMap {
  fields: Record<MapField, FieldFormat>;
  slot: SlotLayout;
  ringAddress: number;
  slots: number;
  /** [start, count] of the header block. */
  header: [number, number];
}

/** Merges overrides into the default map and lays out a ring slot: seq, flags, window low/high, gamma×n, neutron×n. */
export function resolveMap(overrides: RegisterMapOverrides, panels: number): ResolvedMap {
  const fields = { ...DEFAULT_MAP };
  for (const key of MAP_FIELDS) if (overrides[key]) fields[key] = { ...DEFAULT_MAP[key], ...overrides[key] };
  const w = wordsOf(fields.windowCount.type);
  const g = wordsOf(fields.gammaCount.type);
  const n = wordsOf(fields.neutronCount.type);
  const gammaStart = 2 + 2 * w;
  const neutronStart = gammaStart + panels * g;
  const slot: SlotLayout = {
    words: neutronStart + panels * n,
    seq: 0,
    flags: 1,
    windowLow: 2,
    windowHigh: 2 + w,
    gamma: Array.from({ length: panels }, (_, i) => gammaStart + i * g),
    neutron: Array.from({ length: panels }, (_, i) => neutronStart + i * n),
  };
  const starts = HEADER_FIELDS.map((k) => fields[k].address);
  const ends = HEADER_FIELDS.map((k) => fields[k].address + wordsOf(fields[k].type));
  const start = Math.min(...starts);
  const count = Math.max(...ends) - start;
  // Config mistakes fail at start, naming the field, not at the first poll.
  if (count > 125) throw new RangeError(`rpm register map: header fields span ${count} registers (from ${start}); keep them within 125`);
  if (fields.ring.address < start + count && fields.ring.address + RING_SLOTS * slot.words > start) {
    throw new RangeError(`rpm register map: ring at ${fields.ring.address} overlaps the header (${start}..${start + count - 1})`);
  }
  return { fields, slot, ringAddress: fields.ring.address, slots: RING_SLOTS, header: [start, count] };
}
