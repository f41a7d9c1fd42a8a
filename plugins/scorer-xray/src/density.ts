/**
 * Expected mean areal density (g/cm²) of a loaded container by HS chapter: broad illustrative bands
 * (our design, not published figures); each checkpoint tunes them to its scanner with `densityByHsChapter`.
 */
export const DEFAULT_DENSITY_BY_CHAPTER: Record<string, [number, number]> = {
  '08': [8, 30], // fruit (bananas): water-rich
  '22': [15, 45], // beverages
  '25': [20, 70], // salt, stone, cement
  '27': [10, 45], // mineral fuels
  '31': [15, 50], // fertilizers
  '44': [8, 35], // wood
  '61': [2, 12], // garments (knitted)
  '62': [2, 12], // garments
  '64': [3, 14], // footwear
  '68': [25, 80], // stone articles
  '69': [20, 70], // ceramics
  '72': [30, 120], // iron and steel
  '84': [6, 40], // machinery
  '85': [5, 30], // electrical equipment
  '94': [3, 18], // furniture
  '95': [3, 15], // toys
};

/** The band for the declared goods: the widest over their chapters, or null when none is known. */
export function expectedBand(hsCodes: string[], table: Record<string, [number, number]>): [number, number] | null {
  const bands = hsCodes.map((c) => table[c.slice(0, 2)]).filter((b): b is [number, number] => b !== undefined);
  if (bands.length === 0) return null;
  return [Math.min(...bands.map((b) => b[0])), Math.max(...bands.map((b) => b[1]))];
}
