import { ConfigError } from '../config/config-error.js';

/** Prints an error for a person and exits: 1 for config/usage errors, 2 for rejected input. */
export function fail(err: unknown, code = 1): never {
  const message = err instanceof ConfigError ? `invalid config:\n${err.message}` : (err as Error).message;
  process.stderr.write(`customs-hub: ${message}\n`);
  process.exit(code);
}
