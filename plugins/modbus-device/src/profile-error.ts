/** A device profile that cannot be used; the message names the file, the key and, when known, the line. */
export class ProfileError extends Error {
  readonly code = 'PROFILE_INVALID';
  constructor(
    readonly file: string,
    readonly key: string | null,
    readonly reason: string,
    readonly line?: number,
  ) {
    super(`device profile ${file}${line ? `:${line}` : ''}${key ? `: ${key}` : ''}: ${reason}`);
    this.name = 'ProfileError';
  }
}
