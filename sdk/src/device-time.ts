import { quoteValue, RejectedInputError } from './errors.js';

/** A device date-time read as UTC, with what had to be repaired or assumed to read it. */
export interface DeviceTime {
  iso: string;
  /** Human-readable notes for the observation's quality; empty when the value was standard. */
  repairs: string[];
  /** The value had no UTC offset, so its instant rests on the configured zone. */
  zoneAssumed: boolean;
}

// Extended date, 'T' or a space, hh:mm[:ss[.fraction]], then Z, ±hh:mm, ±hhmm or ±hh, or nothing.
const FORM = /^(\d{4})-(\d{2})-(\d{2})([Tt ])(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

/**
 * Reads a device's ISO 8601 date-time in the forms real instruments write, where the meaning is unambiguous:
 * basic-format offsets (-0400, +05), fractional seconds of any length, a space for 'T', no seconds;
 * and a time without an offset in the device's configured time zone. Everything else is refused
 * (RejectedInputError; the caller prefixes where the value was).
 */
export function readDeviceTime(text: string, timeZone: string): DeviceTime {
  const t = text.trim();
  const m = FORM.exec(t);
  if (!m) throw new RejectedInputError(`${quoteValue(t, 40)} is not an ISO 8601 date-time`);
  const [, y, mo, d, sep, h, mi, s, frac, zulu, sign, oh, om] = m;
  const repairs: string[] = [];
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s ?? '0'].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) {
    throw new RejectedInputError(`${quoteValue(t, 40)} is not a valid date-time`);
  }
  if (sep !== 'T') repairs.push(`'${sep}' between date and time read as 'T'`);
  if (s === undefined) repairs.push('time without seconds read as :00');
  let ms = 0;
  if (frac !== undefined) {
    ms = Math.round(Number(`0.${frac}`) * 1000);
    if (frac.length > 3 && /[1-9]/.test(frac.slice(3))) repairs.push(`fractional seconds .${frac.slice(0, 12)} rounded to milliseconds`);
  }
  const wall = Date.UTC(year, month - 1, day, hour, minute, second) + ms;
  let utc: number;
  let zoneAssumed = false;
  if (zulu) utc = wall;
  else if (sign) {
    const offH = Number(oh);
    const offM = Number(om ?? '0');
    if (offH > 14 || offM > 59 || offH * 60 + offM > 14 * 60) throw new RejectedInputError(`'${t}' has a UTC offset beyond ±14:00`);
    if (om === undefined) repairs.push(`UTC offset ${sign}${oh} read as ${sign}${oh}:00`);
    else if (!t.endsWith(`${oh}:${om}`)) repairs.push(`UTC offset ${sign}${oh}${om} read as ${sign}${oh}:${om}`);
    utc = wall - (sign === '-' ? -1 : 1) * (offH * 60 + offM) * 60_000;
  } else {
    zoneAssumed = true;
    utc = wall - zoneOffsetMs(timeZone, wall);
    repairs.push(timeZone === 'UTC' ? 'device time had no time zone; taken as UTC' : `device time had no time zone; read in the device's zone ${timeZone}`);
  }
  return { iso: new Date(utc).toISOString(), repairs, zoneAssumed };
}

/** Is this an IANA time zone the runtime knows? */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The zone's offset from UTC (ms) at the instant whose wall-clock reading in that zone is `wall`. */
function zoneOffsetMs(zone: string, wall: number): number {
  if (zone === 'UTC') return 0;
  const first = offsetAt(zone, wall);
  // Differs only around a DST change; the second guess is the offset in force at that wall time.
  return offsetAt(zone, wall - first);
}

const formats = new Map<string, Intl.DateTimeFormat>();

function offsetAt(zone: string, instant: number): number {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(zone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(instant))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const asUtc = Date.UTC(p['year']!, p['month']! - 1, p['day']!, p['hour']!, p['minute']!, p['second']!);
  return asUtc - Math.floor(instant / 1000) * 1000;
}
