const CONFUSABLE: Record<string, string[]> = {
  '0': ['O', 'D'],
  O: ['0', 'D'],
  D: ['0', 'O'],
  '1': ['I', '7'],
  I: ['1'],
  '8': ['B'],
  B: ['8'],
  '5': ['S'],
  S: ['5'],
  '2': ['Z'],
  Z: ['2'],
  '6': ['G'],
  G: ['6'],
  '4': ['A'],
  A: ['4'],
  '7': ['1'],
  M: ['N'],
  N: ['M'],
  U: ['V'],
  V: ['U'],
};

/** A plausible ANPR misread: one confusable character swapped (any character when none is confusable). */
export function misreadPlate(plate: string, random: () => number): string {
  const positions = [...plate].map((_, i) => i).filter((i) => CONFUSABLE[plate[i]!]);
  if (positions.length === 0) return plate.length > 1 ? plate.slice(0, -1) : `${plate}X`;
  const i = positions[Math.floor(random() * positions.length)]!;
  const options = CONFUSABLE[plate[i]!]!;
  return plate.slice(0, i) + options[Math.floor(random() * options.length)]! + plate.slice(i + 1);
}
