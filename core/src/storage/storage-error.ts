/** What a database driver's error says, without the SQL or the values knex puts into its message. */
const KNOWN: Record<string, string> = {
  SQLITE_BUSY: 'database is locked by another connection',
  SQLITE_LOCKED: 'database table is locked',
  SQLITE_FULL: 'disk full',
  SQLITE_IOERR: 'disk I/O error',
  SQLITE_CORRUPT: 'database file is corrupt',
  SQLITE_READONLY: 'database is read-only',
  SQLITE_CANTOPEN: 'database file cannot be opened',
  SQLITE_CONSTRAINT: 'constraint violated',
  '57P01': 'PostgreSQL is shutting down',
  '53300': 'too many PostgreSQL connections',
  '23505': 'duplicate key',
  ECONNREFUSED: 'database connection refused',
  ECONNRESET: 'database connection reset',
};

export function storageErrorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** SQLite said busy: another connection holds the write lock; waiting and trying again is right. */
export function isBusy(err: unknown): boolean {
  const code = storageErrorCode(err);
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

/** A short description safe for status events, the feed and API answers: code and meaning, never SQL or payloads. */
export function describeStorageError(err: unknown): string {
  const code = storageErrorCode(err);
  if (code && KNOWN[code]) return `${code}: ${KNOWN[code]}`;
  if (code) return code;
  return err instanceof Error ? err.name : 'unknown error';
}
