/** ISAPI's compact times: 20261201T101512, optionally with .fff and a zone (Z, +0100). */
const COMPACT = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})?$/;

/** A cursor value for AfterTime/picTime, in UTC to the second. */
export function toIsapiTime(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** Parses a compact (or ISO 8601) time; `zoned` is false when the camera gave no zone (taken as UTC). */
export function parseIsapiTime(s: string): { date: Date; zoned: boolean } | null {
  const m = COMPACT.exec(s.trim());
  if (m) {
    const zone = m[8] ? (m[8] === 'Z' ? 'Z' : `${m[8].slice(0, 3)}:${m[8].slice(-2)}`) : 'Z';
    const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}${zone}`);
    return Number.isNaN(date.getTime()) ? null : { date, zoned: m[8] !== undefined };
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.test(s.trim())) {
    const date = new Date(s.trim());
    return Number.isNaN(date.getTime()) ? null : { date, zoned: true };
  }
  return null;
}
