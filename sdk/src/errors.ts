/** Longest reason an error carries: a refusal names the problem, it does not echo the input. */
export const MAX_REASON_LENGTH = 2000;

/**
 * A value from the input, quoted for an error message: cut to max characters, with its full length when cut,
 * so a 2 MB attribute makes a one-line reason.
 */
export function quoteValue(value: string, max = 80): string {
  const oneLine = value.replace(/[\r\n\t]+/g, ' ');
  return oneLine.length <= max ? `'${oneLine}'` : `'${oneLine.slice(0, max)}…' (${value.length} characters)`;
}

function capped(reason: string): string {
  return reason.length <= MAX_REASON_LENGTH
    ? reason
    : `${reason.slice(0, MAX_REASON_LENGTH)}… (reason cut at ${MAX_REASON_LENGTH} of ${reason.length} characters)`;
}

/** A file or frame that cannot be ingested; reason says why, in words an integrator can act on. */
export class RejectedInputError extends Error {
  readonly code = 'INPUT_REJECTED';
  readonly reason: string;
  constructor(reason: string, options?: { cause?: unknown }) {
    super(capped(reason), options);
    this.reason = capped(reason);
    this.name = 'RejectedInputError';
  }
}

/** The hub refused an observation (schema violation); the draft went to the dead-letter table. */
export class ObservationRejectedError extends Error {
  readonly code = 'OBSERVATION_REJECTED';
  readonly reason: string;
  constructor(
    reason: string,
    readonly deadLetterId?: string,
  ) {
    super(`observation rejected: ${capped(reason)}`);
    this.reason = capped(reason);
    this.name = 'ObservationRejectedError';
  }
}

/** A stored file's content did not match the hash its source announced. */
export class RawHashMismatchError extends Error {
  readonly code = 'RAW_HASH_MISMATCH';
  constructor(
    readonly expected: string,
    readonly actual: string,
    readonly key: string,
  ) {
    super(`sha256 mismatch: expected ${expected}, got ${actual}`);
    this.name = 'RawHashMismatchError';
  }
}

/**
 * The hub's disk is nearly full: raw files are refused until space is freed. Retryable — keep the file
 * (device spool, resend) and try again later; small observations are still accepted meanwhile.
 */
export class RawStoreFullError extends Error {
  readonly code = 'RAW_STORE_FULL';
  readonly retryable = true;
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'RawStoreFullError';
  }
}
