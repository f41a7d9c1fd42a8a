import type { Logger } from './logger.js';

/** The log binding that marks a line as an error dropped on purpose; a driver's line with it is counted too. */
export const SWALLOWED = 'swallowed';

/**
 * Errors a caller drops on purpose — a best-effort cleanup, an observer that must not fail what it observes —
 * are never silent: each is logged with its site and context, and counted by site for /metrics
 * (`customs_hub_errors_swallowed_total{site}`). What the caller must know is rethrown, not recorded here.
 */
export class SwallowedErrors {
  private readonly bySite = new Map<string, number>();

  constructor(private readonly logger: Logger) {}

  record(site: string, err: unknown, context: Record<string, unknown>, msg: string): void {
    this.count(site);
    this.logger.warn({ ...context, [SWALLOWED]: site, err }, msg);
  }

  /** For a promise's `.catch()`: records the error and settles to undefined. */
  ignore(site: string, context: Record<string, unknown>, msg: string): (err: unknown) => undefined {
    return (err) => {
      this.record(site, err, context, msg);
      return undefined;
    };
  }

  /** Counts a line already logged elsewhere (a driver's, marked with `swallowed`). */
  count(site: string): void {
    this.bySite.set(site, (this.bySite.get(site) ?? 0) + 1);
  }

  get counts(): ReadonlyMap<string, number> {
    return this.bySite;
  }
}
