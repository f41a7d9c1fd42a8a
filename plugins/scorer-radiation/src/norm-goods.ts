import type { Declaration } from '@customs-hub/sdk';

/**
 * Goods known to be naturally radioactive (NORM): the classic nuisance alarms at portals.
 * HS headings: ceramics (69), granite and worked stone (2516, 6802), clays and bentonite cat litter (2508),
 * natural phosphates and fertilizers (2510, 3103–3105), zircon (2615), bananas (0803).
 */
export const DEFAULT_NORM_HS = ['69', '2508', '2510', '2516', '2530', '2615', '3103', '3104', '3105', '6802', '6810', '0803'];
export const DEFAULT_NORM_WORDS = [
  'ceramic',
  'porcelain',
  'tile',
  'stoneware',
  'granite',
  'fertili',
  'potash',
  'potassium',
  'phosphate',
  'banana',
  'cat litter',
  'kitty litter',
  'bentonite',
  'zircon',
];

/** Naturally occurring nuclides and their daughters, as identifiers name them. */
export const NORM_NUCLIDES = ['K-40', 'K40', 'RA-226', 'RA226', 'TH-232', 'TH232', 'U-238', 'U238', 'RA-228', 'PB-214', 'BI-214', 'TL-208', 'AC-228', 'NORM'];

export interface NormRules {
  hs: string[];
  words: string[];
}

/** The declared goods that explain a NORM signature, if any. */
export function normGoods(declaration: Declaration | null, rules: NormRules): Array<{ hsCode: string; description?: string }> {
  if (!declaration) return [];
  return declaration.goods.filter(
    (g) => rules.hs.some((p) => g.hsCode.startsWith(p)) || rules.words.some((w) => (g.description ?? '').toLowerCase().includes(w)),
  );
}

export function isNormNuclide(name: string): boolean {
  return NORM_NUCLIDES.includes(name.toUpperCase().replace(/\s+/g, ''));
}

export function describeGoods(goods: Array<{ hsCode: string; description?: string }>): string {
  return goods
    .slice(0, 3)
    .map((g) => `${g.description ?? 'goods'} (HS ${g.hsCode})`)
    .join(', ');
}
