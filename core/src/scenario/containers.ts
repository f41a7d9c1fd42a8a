import { containerCheckDigit } from '@customs-hub/sdk';
import type { Random } from './random.js';

const OWNERS = ['CSQU', 'MSCU', 'TGHU', 'YMLU', 'HLXU', 'CMAU', 'TCLU', 'SEGU'];

/** A valid ISO 6346 container number. */
export function containerNumber(r: Random): string {
  const first10 = `${r.pick(OWNERS)}${String(r.int(0, 999999)).padStart(6, '0')}`;
  return `${first10}${containerCheckDigit(first10)}`;
}

/** The same number with one serial digit misread: its check digit no longer holds (or rarely still does). */
export function misread(number: string, r: Random): string {
  const i = r.int(4, 9);
  const d = (Number(number[i]) + r.int(1, 9)) % 10;
  return `${number.slice(0, i)}${d}${number.slice(i + 1)}`;
}

export function plate(r: Random): string {
  const L = 'ABEKMHOPCTYX';
  return `${r.pick([...L])}${r.int(100, 999)}${r.pick([...L])}${r.pick([...L])}${r.int(10, 199)}`;
}
