import { seededRandom } from '@customs-hub/sdk';

/** Numbers and names parsers care about, spliced in by the mutator. */
const INTERESTING = [
  '0',
  '-1',
  '4294967296',
  '1e309',
  'NaN',
  '',
  '\u0000',
  '\x02',
  '\x03',
  '&amp;',
  '<![CDATA[',
  ']]>',
  '<!DOCTYPE x>',
  'xmlns:a="u"',
  '999999999999',
  '0 4000000000',
  'CountedZeroes',
  '2023-06-28T16:41:59-0400',
  '\uFFFF',
  '\uD800',
];

/**
 * The i-th mutant of a target's seeds: a pure function of (seed, i), so a run can be replayed and a
 * breaking input regenerated outside the worker that met it.
 */
export function mutant(seeds: Buffer[], seed: number, i: number): Buffer {
  const rand = seededRandom(seed * 1_000_003 + i);
  const pick = (n: number) => Math.floor(rand() * n);
  let b = Buffer.from(seeds[pick(seeds.length)]!);
  const rounds = 1 + pick(4);
  for (let r = 0; r < rounds && b.length > 0; r++) {
    const at = pick(b.length);
    switch (pick(8)) {
      case 0:
        b[at] = b[at]! ^ (1 << pick(8));
        break; // bit flip
      case 1:
        b[at] = pick(256);
        break; // byte
      case 2:
        b = b.subarray(0, at);
        break; // truncation
      case 3:
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + pick(64))]);
        break; // deletion
      case 4: {
        const from = pick(b.length);
        const len = 1 + pick(256);
        b = Buffer.concat([b.subarray(0, at), b.subarray(from, from + len), b.subarray(at)]);
        break;
      } // duplication
      case 5:
        b = Buffer.concat([b.subarray(0, at), Buffer.from(INTERESTING[pick(INTERESTING.length)]!, 'utf8'), b.subarray(at)]);
        break; // splice
      case 6: {
        const len = 2 + pick(6);
        for (let k = 0; k < len && at + k < b.length; k++) b[at + k] = 0xff;
        break;
      } // large values
      default: {
        const other = seeds[pick(seeds.length)]!;
        b = Buffer.concat([b.subarray(0, at), other.subarray(pick(other.length))]);
      } // crossover
    }
  }
  return b;
}
