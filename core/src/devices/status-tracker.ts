import type { AdminState, DeviceState, DeviceStatus } from '@customs-hub/sdk';

export interface TrackerOptions {
  offlineAfterFailures: number;
}

/** Called with the new status whenever the state (or admin state, or error) changes. */
export type StatusListener = (status: DeviceStatus, previous: DeviceState) => void;

/**
 * The device status state machine.
 *   starting → online (first ok or accepted reading)
 *   online ⇄ degraded (degraded report / a failure below the offline count); a degraded state that a failure
 *   caused ends with the next good reading, one the driver reported ends when it reports ok
 *   any → offline after N consecutive failures; offline → online on ok/reading or a passing recovery probe
 *   any → faulted (fault report, crash, hang, start failure); faulted → starting on restart
 *   any → stopped when the hub stops the device
 */
export class DeviceStatusTracker {
  private status: DeviceStatus;
  /** Whether the current degraded state came from a counted failure (a malformed frame) rather than a report. */
  private degradedByFailure = false;

  constructor(
    device: { id: string; checkpoint: string; lane: string | null; plugin: string; adminState: AdminState },
    private readonly options: TrackerOptions,
    private readonly onChange: StatusListener,
    now = new Date(),
  ) {
    const at = now.toISOString();
    this.status = {
      schema: 'device-status/v1',
      deviceId: device.id,
      checkpoint: device.checkpoint,
      lane: device.lane,
      plugin: device.plugin,
      state: 'starting',
      adminState: device.adminState,
      since: at,
      lastSeen: null,
      lastGoodReading: null,
      consecutiveFailures: 0,
      lastError: null,
      restarts: 0,
      reason: 'starting',
      updatedAt: at,
    };
  }

  get current(): DeviceStatus {
    return { ...this.status };
  }
  get state(): DeviceState {
    return this.status.state;
  }

  /** Restore counters from a stored status (restarts survive a hub restart). */
  restore(stored: DeviceStatus): void {
    this.status.restarts = stored.restarts;
    this.status.lastGoodReading = stored.lastGoodReading;
    this.status.lastSeen = stored.lastSeen;
  }

  ok(detail?: string): void {
    this.status.consecutiveFailures = 0;
    this.status.lastSeen = new Date().toISOString();
    this.transition('online', detail || 'device answering');
  }

  goodReading(at = new Date()): void {
    this.status.lastGoodReading = at.toISOString();
    this.status.lastSeen = this.status.lastGoodReading;
    this.status.consecutiveFailures = 0;
    if (this.status.state === 'degraded' && this.degradedByFailure) this.transition('online', 'readings arriving again');
    else if (this.status.state !== 'online' && this.status.state !== 'degraded' && this.status.state !== 'stopped')
      this.transition('online', 'readings arriving');
  }

  degraded(reason: string): void {
    this.status.lastSeen = new Date().toISOString();
    this.degradedByFailure = false;
    this.transition('degraded', reason);
  }

  failure(message: string, code?: string): void {
    this.status.consecutiveFailures++;
    this.setError(message, code);
    // Already offline: count it, but do not publish every retry of a dead link; the reason stays current.
    if (this.status.state === 'offline') {
      this.status.reason = `${this.status.consecutiveFailures} consecutive failures; last: ${message}`.slice(0, 1000);
      this.touch();
      return;
    }
    if (this.status.consecutiveFailures >= this.options.offlineAfterFailures) {
      this.transition('offline', `${this.status.consecutiveFailures} consecutive failures; last: ${message}`, true);
    } else if (this.status.state === 'online') {
      this.degradedByFailure = true;
      this.transition('degraded', `failure ${this.status.consecutiveFailures}/${this.options.offlineAfterFailures}: ${message}`, true);
    } else {
      // A repeated failure publishes its own text, not the first one's.
      this.transition(this.status.state, `failure ${this.status.consecutiveFailures}/${this.options.offlineAfterFailures}: ${message}`, true);
    }
  }

  fault(message: string, code?: string): void {
    this.setError(message, code);
    this.transition('faulted', message, true);
  }

  restarting(): void {
    this.status.restarts++;
    this.transition('starting', `restart ${this.status.restarts}`, true);
  }

  stopped(reason = 'stopped by the hub'): void {
    this.transition('stopped', reason);
  }

  setAdminState(admin: AdminState): void {
    if (admin === this.status.adminState) return;
    const previous = this.status.state;
    this.status.adminState = admin;
    this.touch();
    this.onChange(this.current, previous);
  }

  /** Fields that change often (lastSeen, counters) without a state change are saved, not published. */
  setCounters(counters: Record<string, number>): void {
    this.status.counters = counters;
  }

  private setError(message: string, code?: string): void {
    this.status.lastError = { message: message.slice(0, 2000), at: new Date().toISOString(), ...(code ? { code } : {}) };
  }

  private transition(next: DeviceState, reason: string, force = false): void {
    const previous = this.status.state;
    if (next !== 'degraded') this.degradedByFailure = false;
    if (previous === next && this.status.reason === reason && !force) return;
    if (previous !== next) this.status.since = new Date().toISOString();
    this.status.state = next;
    this.status.reason = reason.slice(0, 1000);
    this.emit(previous);
  }

  private emit(previous: DeviceState): void {
    this.touch();
    this.onChange(this.current, previous);
  }

  private touch(): void {
    this.status.updatedAt = new Date().toISOString();
  }
}
