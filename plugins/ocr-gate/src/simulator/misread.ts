import { isValidContainerNumber } from '@customs-hub/sdk';

/** Characters OCR engines confuse, both ways. */
const CONFUSABLE: Record<string, string[]> = {
  '0': ['O', 'D', '8'],
  O: ['0', 'D', 'Q'],
  '1': ['I', '7', 'L'],
  I: ['1', 'L'],
  '8': ['B', '3', '6'],
  B: ['8', 'E'],
  '5': ['S', '6'],
  S: ['5', '8'],
  '2': ['Z', '7'],
  Z: ['2'],
  '6': ['G', '5', '8'],
  G: ['6', 'C'],
  '3': ['8', '9'],
  '9': ['8', '3'],
  '4': ['A', '1'],
  '7': ['1', 'T'],
  U: ['V', 'J'],
  C: ['G', 'O'],
  Q: ['O', '0'],
  M: ['N'],
  N: ['M', 'H'],
};

/**
 * A plausible OCR misread of a container code: one confusable character swapped so that the ISO 6346
 * check digit no longer holds (as a real misread usually does not). Deterministic for a given draw.
 */
export function misreadCode(code: string, random: () => number): string {
  const positions = [...code].map((_, i) => i).filter((i) => CONFUSABLE[code[i]!]);
  for (let tries = 0; tries < 20 && positions.length > 0; tries++) {
    const i = positions[Math.floor(random() * positions.length)]!;
    const options = CONFUSABLE[code[i]!]!;
    const bad = code.slice(0, i) + options[Math.floor(random() * options.length)]! + code.slice(i + 1);
    if (!isValidContainerNumber(bad)) return bad;
  }
  // Every swap kept the check digit valid (rare): change the check digit itself.
  const last = Number(code[code.length - 1]);
  return code.slice(0, -1) + String(Number.isNaN(last) ? 0 : (last + 1) % 10);
}
