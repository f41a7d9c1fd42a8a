import { ObservationRejectedError, RawHashMismatchError, RejectedInputError } from './errors.js';

/**
 * An error as it crosses a thread or process boundary (structured clone keeps only plain data).
 * `code` names the SDK error class it was; `fields` are that class's constructor data.
 */
export interface WireError {
  name: string;
  message: string;
  code?: string;
  reason?: string;
  /** The constructor fields of an SDK error class, so the receiving side can rebuild it. */
  fields?: Record<string, string>;
}

type Revive = (w: WireError) => Error;

/** The SDK's error classes by code: a driver's `instanceof` works on either side of a worker boundary. */
const SDK_ERRORS: Record<string, Revive> = {
  INPUT_REJECTED: (w) => new RejectedInputError(w.reason ?? w.message),
  OBSERVATION_REJECTED: (w) => new ObservationRejectedError(w.reason ?? w.message, w.fields?.deadLetterId),
  RAW_HASH_MISMATCH: (w) => new RawHashMismatchError(w.fields?.expected ?? '', w.fields?.actual ?? '', w.fields?.key ?? ''),
};

function stringFields(e: object, names: string[]): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = (e as Record<string, unknown>)[n];
    if (typeof v === 'string') out[n] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Serializes any thrown value for postMessage. */
export function toWireError(err: unknown): WireError {
  const e = err instanceof Error ? err : new Error(String(err));
  const out: WireError = { name: e.name, message: e.message };
  const extra = e as Error & { code?: unknown; reason?: unknown };
  if (typeof extra.code === 'string') out.code = extra.code;
  if (typeof extra.reason === 'string') out.reason = extra.reason;
  const fields =
    e instanceof ObservationRejectedError
      ? stringFields(e, ['deadLetterId'])
      : e instanceof RawHashMismatchError
        ? stringFields(e, ['expected', 'actual', 'key'])
        : undefined;
  if (fields) out.fields = fields;
  return out;
}

/**
 * Rebuilds an error from the wire: an SDK error class when its code is one (with the sender's message),
 * otherwise an Error with the sender's name, code and reason.
 */
export function fromWireError(w: WireError): Error {
  const revive = w.code !== undefined ? SDK_ERRORS[w.code] : undefined;
  if (revive) {
    const e = revive(w);
    e.message = w.message;
    return e;
  }
  const e = new Error(w.message) as Error & { code?: string; reason?: string };
  e.name = w.name;
  if (w.code) e.code = w.code;
  if (w.reason) e.reason = w.reason;
  return e;
}
