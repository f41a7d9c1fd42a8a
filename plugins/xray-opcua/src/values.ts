import type { DataValue } from 'node-opcua';

// OPC UA data values to plain JS: undefined for a bad status or a null value.
function good(dv: DataValue | undefined): unknown {
  if (!dv || !dv.statusCode.isGood()) return undefined;
  const v = dv.value?.value;
  return v === null ? undefined : v;
}

/** A non-empty string, or undefined. */
export function asString(dv: DataValue | undefined): string | undefined {
  const v = good(dv);
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** Numbers of any width; UInt64/Int64 arrive from node-opcua as [high, low]. */
export function asNumber(dv: DataValue | undefined): number | undefined {
  const v = good(dv);
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) return v[0]! * 2 ** 32 + v[1]!;
  return undefined;
}

/** A set DateTime, or undefined. */
export function asDate(dv: DataValue | undefined): Date | undefined {
  const v = good(dv);
  // OPC UA's "null" DateTime (1601-01-01) means unset.
  return v instanceof Date && !Number.isNaN(v.getTime()) && v.getUTCFullYear() > 1601 ? v : undefined;
}

/** The non-empty strings of a String array (a lone String counts as one). */
export function asStrings(dv: DataValue | undefined): string[] {
  const v = good(dv);
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x.length > 0);
  return typeof v === 'string' && v.length > 0 ? [v] : [];
}

/** A numeric array (Double[] arrives as a typed array), or undefined. */
export function asNumbers(dv: DataValue | undefined): number[] | undefined {
  const v = good(dv);
  if (v instanceof Float64Array || v instanceof Float32Array || Array.isArray(v)) return Array.from(v as ArrayLike<number>, Number);
  return undefined;
}
