/**
 * The scores of the cases a policy decided over the last hours, for a capacity policy: the inspection team can
 * open the top N % by risk, whatever the scores' level. Keyed by the case's stable random key, so a case
 * scored again replaces its earlier score instead of counting twice.
 */
export class CapacityWindow {
  private readonly scores = new Map<string, { score: number; at: number }>();

  constructor(private readonly windowMs: number) {}

  /** Records the case's score and says whether it is in the top share of the window (ties included). */
  admit(key: string, score: number, topShare: number, now: number): { selected: boolean; rank: number; size: number } {
    this.scores.delete(key);
    this.scores.set(key, { score, at: now });
    // Oldest first in insertion order: drop what left the window.
    for (const [k, v] of this.scores) {
      if (now - v.at <= this.windowMs) break;
      this.scores.delete(k);
    }
    let above = 0;
    for (const v of this.scores.values()) if (v.score > score) above++;
    const size = this.scores.size;
    return { selected: above < Math.max(1, Math.round(topShare * size)), rank: above + 1, size };
  }
}
