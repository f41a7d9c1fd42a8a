/** A retention period in config: "36h", "30d", "10y", or "forever". */
export type Period = string;

const UNIT_MS: Record<string, number> = { h: 3600_000, d: 86400_000, y: 365.25 * 86400_000 };

export const periodSchema = { type: 'string', pattern: '^(forever|[0-9]+(\\.[0-9]+)?[hdy])$', description: 'e.g. 36h, 30d, 10y, or forever' };

/** Milliseconds of a period; Infinity for "forever". */
export function periodMs(p: Period): number {
  if (p === 'forever') return Infinity;
  const m = /^([0-9]+(?:\.[0-9]+)?)([hdy])$/.exec(p);
  if (!m) throw new Error(`'${p}' is not a period (e.g. 36h, 30d, 10y, forever)`);
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

/** The ISO time before which a record of this period is due at `now`; null when it is never due. */
export function cutoffIso(p: Period, now: number): string | null {
  const ms = periodMs(p);
  return Number.isFinite(ms) ? new Date(now - ms).toISOString() : null;
}
