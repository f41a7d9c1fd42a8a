import { decodeValue } from '@customs-hub/modbus-link';
import { HEADER_FIELDS, STATUS_BITS, wordsOf, type FieldFormat, type HeaderField, type ResolvedMap } from './register-map.js';

export type Header = Record<HeaderField, number>;

/** One 200-ms sample as read from a ring slot. */
export interface RingSample {
  seq: number;
  flags: number;
  gamma: number[];
  neutron: number[];
  windowLow: number;
  windowHigh: number;
}

function value(words: readonly number[], at: number, fmt: FieldFormat): number {
  return decodeValue(words.slice(at, at + wordsOf(fmt.type)), fmt);
}

/** Decodes the header block read from map.header[0]. */
export function decodeHeader(words: readonly number[], map: ResolvedMap): Header {
  const out = {} as Header;
  for (const k of HEADER_FIELDS) out[k] = value(words, map.fields[k].address - map.header[0], map.fields[k]);
  return out;
}

/** Decodes `count` consecutive ring slots from their registers. */
export function decodeSlots(words: readonly number[], count: number, map: ResolvedMap): RingSample[] {
  const { slot, fields } = map;
  const out: RingSample[] = [];
  for (let i = 0; i < count; i++) {
    const base = i * slot.words;
    out.push({
      seq: words[base + slot.seq]!,
      flags: words[base + slot.flags]!,
      windowLow: value(words, base + slot.windowLow, fields.windowCount),
      windowHigh: value(words, base + slot.windowHigh, fields.windowCount),
      gamma: slot.gamma.map((o) => value(words, base + o, fields.gammaCount)),
      neutron: slot.neutron.map((o) => value(words, base + o, fields.neutronCount)),
    });
  }
  return out;
}

/** Slots per read so that one request stays within Modbus's 125-register limit. */
export function slotsPerRead(map: ResolvedMap): number {
  return Math.max(1, Math.floor(125 / map.slot.words));
}

/**
 * Which sequence numbers are new since `last`, given the newest `head`, with a ring of `slots`:
 * returns the ones still in the ring and how many were overwritten before the hub read them.
 * The first poll (last = null) only synchronizes: samples from before the hub listened are not replayed.
 * A head behind `last` means the device restarted its counter: resynchronize on head.
 */
export function newSequences(last: number | null, head: number, slots: number): { seqs: number[]; lost: number; restarted: boolean } {
  if (last === null) return { seqs: [], lost: 0, restarted: false };
  const ahead = (head - last + 0x10000) % 0x10000;
  if (ahead === 0) return { seqs: [], lost: 0, restarted: false };
  if (ahead > 0x8000) return { seqs: [], lost: 0, restarted: true };
  const take = Math.min(ahead, slots);
  const seqs = Array.from({ length: take }, (_, i) => (head - take + 1 + i + 0x10000) % 0x10000);
  return { seqs, lost: ahead - take, restarted: false };
}

export const isSet = (flags: number, bit: keyof typeof STATUS_BITS): boolean => (flags & STATUS_BITS[bit]) !== 0;
