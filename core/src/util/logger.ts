import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/** Keys whose values never reach a log line. */
export const REDACT_PATHS = ['token', 'password', 'secret', 'authorization', '*.token', '*.password', '*.secret', '*.authorization', 'config.*.password', 'req.headers.authorization'];

/** The hub's structured JSON logger (pino), with secrets redacted. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, base: { service: 'customs-hub' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination as any) : pino(options);
}
