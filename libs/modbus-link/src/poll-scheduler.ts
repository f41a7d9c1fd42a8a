import { sleep as defaultSleep } from './sleep.js';

/** One periodic poll. run() gets a signal that aborts when the scheduler stops. */
export interface PollTask {
  name: string;
  intervalMs: number;
  run(signal: AbortSignal): Promise<void>;
}

/** Time source for the scheduler; the hub's DriverContext clock fits (`{ now: () => clock.now().getTime(), sleep: clock.sleep }`). */
export interface SchedulerClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface PollSchedulerOptions {
  clock?: SchedulerClock;
  /** Called when a task's run() throws; the task keeps its schedule. */
  onError?: (task: PollTask, err: unknown) => void;
}

const systemClock: SchedulerClock = { now: () => Date.now(), sleep: defaultSleep };

/**
 * Phase offsets that spread n tasks evenly over the shortest interval, so tasks sharing a link
 * never fire together: task i starts i/n of the way into the period.
 */
export function phaseOffsets(intervalsMs: readonly number[]): number[] {
  if (intervalsMs.length === 0) return [];
  const period = Math.min(...intervalsMs);
  return intervalsMs.map((_, i) => Math.floor((i * period) / intervalsMs.length));
}

/**
 * Runs periodic polls on fixed, staggered ticks (start + phase + k·interval, no drift). A poll that
 * overruns its interval skips the ticks it missed instead of firing a burst to catch up.
 */
export class PollScheduler {
  private readonly tasks: PollTask[] = [];
  private readonly controller = new AbortController();
  private loops: Promise<void>[] = [];
  private readonly clock: SchedulerClock;

  constructor(private readonly options: PollSchedulerOptions = {}) {
    this.clock = options.clock ?? systemClock;
  }

  /** Adds a task; call before start(). */
  add(task: PollTask): void {
    if (!(task.intervalMs > 0)) throw new RangeError(`poll '${task.name}': intervalMs must be > 0`);
    if (this.loops.length > 0) throw new Error('PollScheduler: add() after start()');
    this.tasks.push(task);
  }

  /** Starts every task at its phase offset. */
  start(): void {
    if (this.loops.length > 0 || this.controller.signal.aborted) return;
    const start = this.clock.now();
    const phases = phaseOffsets(this.tasks.map((t) => t.intervalMs));
    this.loops = this.tasks.map((task, i) => this.loop(task, start + phases[i]!));
  }

  /** Stops all tasks and waits for the polls in progress to end. */
  async stop(): Promise<void> {
    this.controller.abort(new Error('poll scheduler stopped'));
    await Promise.all(this.loops);
  }

  private async loop(task: PollTask, first: number): Promise<void> {
    const signal = this.controller.signal;
    let due = first;
    while (!signal.aborted) {
      try {
        await this.clock.sleep(Math.max(0, due - this.clock.now()), signal);
      } catch {
        return;
      }
      try {
        await task.run(signal);
      } catch (err) {
        if (!signal.aborted) this.options.onError?.(task, err);
      }
      const now = this.clock.now();
      due += task.intervalMs;
      if (due <= now) due += Math.ceil((now - due + 1) / task.intervalMs) * task.intervalMs;
    }
  }
}
