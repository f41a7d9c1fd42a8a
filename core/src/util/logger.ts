import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import pinoPretty from 'pino-pretty';

export type Logger = PinoLogger;

/** Keys whose values never reach a log line. */
export const REDACT_PATHS = [
  'token',
  'password',
  'secret',
  'authorization',
  '*.token',
  '*.password',
  '*.secret',
  '*.authorization',
  'config.*.password',
  'req.headers.authorization',
];

/**
 * The hub's logger (pino), with secrets redacted: JSON lines for machines, and readable lines when stdout is a
 * terminal (HUB_LOG_FORMAT=json|pretty overrides).
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, base: { service: 'customs-hub' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  if (destination) return pino(options, destination as DestinationStream);
  const format = process.env.HUB_LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json');
  if (format !== 'pretty') return pino(options);
  const pretty = pinoPretty({ sync: true, singleLine: true, colorize: process.stdout.isTTY, ignore: 'pid,hostname,service', translateTime: 'HH:MM:ss.l' });
  return pino(options, pretty);
}
