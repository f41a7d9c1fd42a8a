import type { Logger } from '../util/logger.js';

export interface LogBudget {
  burst: number;
  perSecond: number;
  summaryEveryMs: number;
}

export const DEVICE_LOG_BUDGET: LogBudget = { burst: 50, perSecond: 2, summaryEveryMs: 10_000 };

/**
 * One device's log lines through a token bucket: a device sending garbage must not write megabytes of
 * identical warnings. What is held back is counted and reported in one line per summary interval.
 * Debug lines are below the usual log level and pass through (the logger drops them cheaply).
 */
export class LogThrottle {
  private tokens: number;
  private at: number;
  private suppressed = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly budget: LogBudget = DEVICE_LOG_BUDGET,
    private readonly now = Date.now,
  ) {
    this.tokens = budget.burst;
    this.at = now();
  }

  /** Lines held back since the last summary. */
  get held(): number {
    return this.suppressed;
  }

  write(level: 'debug' | 'info' | 'warn' | 'error', bindings: Record<string, unknown>, msg: string): void {
    if (level === 'debug') return this.logger.debug(bindings, msg);
    const t = this.now();
    this.tokens = Math.min(this.budget.burst, this.tokens + ((t - this.at) / 1000) * this.budget.perSecond);
    this.at = t;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.logger[level](bindings, msg);
      return;
    }
    this.suppressed++;
    this.timer ??= setTimeout(() => this.summarize(), this.budget.summaryEveryMs).unref();
  }

  /** Reports what was held back (also called when the device stops). */
  summarize(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.suppressed === 0) return;
    this.logger.warn({ suppressed: this.suppressed }, `${this.suppressed} log lines of this device suppressed (more than ${this.budget.perSecond}/s)`);
    this.suppressed = 0;
  }
}
