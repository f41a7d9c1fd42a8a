import type { DataValue } from 'node-opcua';

/** An OPC UA data value as a plain JS value: undefined for a bad status or a null value. */
export function plain(dv: DataValue | undefined): unknown {
  if (!dv || !dv.statusCode.isGood()) return undefined;
  const v = dv.value?.value;
  return v === null ? undefined : v;
}

/** A non-empty string, or undefined. */
export function asString(dv: DataValue | undefined): string | undefined {
  return text(plain(dv));
}

/** A set DateTime, or undefined. */
export function asDate(dv: DataValue | undefined): Date | undefined {
  return date(plain(dv));
}

/** A non-empty string value, or undefined. */
export function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** A set DateTime value (OPC UA's "null" DateTime, 1601-01-01, means unset). */
export function date(v: unknown): Date | undefined {
  return v instanceof Date && !Number.isNaN(v.getTime()) && v.getUTCFullYear() > 1601 ? v : undefined;
}

/** Numbers of any width; UInt64/Int64 arrive from node-opcua as [high, low], bigints as they are. */
export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < 2 ** 32))
    return v[0]! * 2 ** 32 + v[1]!;
  return undefined;
}

/** A numeric array (Double[] arrives as a typed array), or undefined. */
export function nums(v: unknown): number[] | undefined {
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>, Number);
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v as number[];
  return undefined;
}

/** What a value is, for a quality reason about a value of the wrong type. */
export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Date) return 'a date-time';
  if (ArrayBuffer.isView(v)) return 'a numeric array';
  return `a ${typeof v}`;
}
