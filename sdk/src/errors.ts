/** A file or frame that cannot be ingested; reason says why, in words an integrator can act on. */
export class RejectedInputError extends Error {
  readonly code = 'INPUT_REJECTED';
  constructor(readonly reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'RejectedInputError';
  }
}

/** The hub refused an observation (schema violation); the draft went to the dead-letter table. */
export class ObservationRejectedError extends Error {
  readonly code = 'OBSERVATION_REJECTED';
  constructor(readonly reason: string, readonly deadLetterId?: string) {
    super(`observation rejected: ${reason}`);
    this.name = 'ObservationRejectedError';
  }
}

/** A stored file's content did not match the hash its source announced. */
export class RawHashMismatchError extends Error {
  readonly code = 'RAW_HASH_MISMATCH';
  constructor(readonly expected: string, readonly actual: string, readonly key: string) {
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
