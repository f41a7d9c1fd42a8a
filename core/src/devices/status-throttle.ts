import type { DeviceState, DeviceStatus } from '@customs-hub/sdk';

export interface StatusBudget {
  burst: number;
  perSecond: number;
}

export const STATUS_BUDGET: StatusBudget = { burst: 10, perSecond: 0.2 };

type Publish = (status: DeviceStatus, previous: DeviceState) => void;

/**
 * Publishes one device's status changes at most at the budget's rate. Changes beyond it are held: the latest
 * is published when the budget allows, its reason saying how many changes it stands for, so the feed never
 * ends on a stale state. Faults, going offline and stopping are always published at once: they are rare (a
 * crashing driver restarts with backoff) and an operator must see each; the budget is for flapping between
 * starting, online and degraded.
 */
export class StatusThrottle {
  private tokens: number;
  private at: number;
  private pending: { status: DeviceStatus; previous: DeviceState } | null = null;
  private suppressed = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Status changes held back and folded into a later one, over the device's life. */
  totalSuppressed = 0;

  constructor(
    private readonly publish: Publish,
    private readonly budget: StatusBudget = STATUS_BUDGET,
    private readonly now = Date.now,
  ) {
    this.tokens = budget.burst;
    this.at = now();
  }

  change(status: DeviceStatus, previous: DeviceState): void {
    this.refill();
    const always = status.state === 'stopped' || status.state === 'faulted' || status.state === 'offline';
    if (always || this.tokens >= 1) {
      this.tokens = Math.max(0, this.tokens - 1);
      const from = this.pending?.previous ?? previous;
      this.clear();
      return this.publish(this.annotated(status), from);
    }
    this.suppressed++;
    this.totalSuppressed++;
    this.pending = { status, previous: this.pending?.previous ?? previous };
    this.timer ??= setTimeout(() => this.flush(), Math.ceil(((1 - this.tokens) / this.budget.perSecond) * 1000)).unref();
  }

  /** Publishes the held change now (the hub stopping). */
  flush(): void {
    const p = this.pending;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!p) return;
    this.refill();
    this.tokens = Math.max(0, this.tokens - 1);
    this.pending = null;
    this.publish(this.annotated(p.status), p.previous);
  }

  private annotated(status: DeviceStatus): DeviceStatus {
    if (this.suppressed === 0) return status;
    const n = this.suppressed;
    this.suppressed = 0;
    return {
      ...status,
      reason: `${status.reason} (${n} earlier status change${n === 1 ? '' : 's'} not published: more than ${this.budget.perSecond * 60}/min)`.slice(0, 1000),
    };
  }

  private clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.budget.burst, this.tokens + ((t - this.at) / 1000) * this.budget.perSecond);
    this.at = t;
  }
}
