import assert from 'node:assert/strict';
import { phaseOffsets, PollScheduler, type SchedulerClock } from '../src/poll-scheduler.js';

/** Virtual time: sleeps resolve only when the test moves the clock past them, so timings are exact. */
class VirtualClock implements SchedulerClock {
  private t = 0;
  private timers: Array<{ at: number; wake: () => void }> = [];

  now = (): number => this.t;

  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        this.timers = this.timers.filter((x) => x !== timer);
        reject(signal!.reason);
      };
      const timer = {
        at: this.t + ms,
        wake: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.timers.push(timer);
      signal?.addEventListener('abort', onAbort, { once: true });
    });

  /** Runs every timer due up to `until`, in time order, letting the woken code run in between. */
  async runUntil(until: number): Promise<void> {
    for (;;) {
      await settle();
      const next = [...this.timers].sort((a, b) => a.at - b.at)[0];
      if (!next || next.at > until) break;
      this.timers = this.timers.filter((x) => x !== next);
      this.t = next.at;
      next.wake();
    }
    this.t = until;
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

describe('PollScheduler', () => {
  it('spreads phases evenly over the shortest interval', () => {
    assert.deepEqual(phaseOffsets([1000, 1000, 1000, 1000]), [0, 250, 500, 750]);
    assert.deepEqual(phaseOffsets([300, 600, 900]), [0, 100, 200]);
    assert.deepEqual(phaseOffsets([]), []);
  });

  it('fires tasks sharing a link at staggered times, never together', async () => {
    const clock = new VirtualClock();
    const starts: string[] = [];
    const scheduler = new PollScheduler({ clock });
    for (const name of ['a', 'b', 'c']) {
      scheduler.add({
        name,
        intervalMs: 150,
        run: async () => {
          starts.push(`${name}@${clock.now()}`);
        },
      });
    }
    scheduler.start();
    await clock.runUntil(420);
    await scheduler.stop();
    assert.deepEqual(starts, ['a@0', 'b@50', 'c@100', 'a@150', 'b@200', 'c@250', 'a@300', 'b@350', 'c@400']);
  });

  it('keeps fixed ticks without drift, and skips the ticks an overrunning poll missed', async () => {
    const clock = new VirtualClock();
    const starts: number[] = [];
    const scheduler = new PollScheduler({ clock });
    scheduler.add({
      name: 'slow',
      intervalMs: 40,
      run: async (signal) => {
        starts.push(clock.now());
        await clock.sleep(100, signal);
      },
    });
    scheduler.start();
    await clock.runUntil(500);
    await scheduler.stop();
    // runs end at 100, 220, 340, 460: the next fixed tick after each (k·40) follows, never a burst
    assert.deepEqual(starts, [0, 120, 240, 360, 480]);
  });

  it('reports a failing poll and keeps its schedule; stop() waits for the poll in progress', async () => {
    const clock = new VirtualClock();
    const errors: string[] = [];
    const starts: number[] = [];
    let release: () => void = () => undefined;
    let finished = false;
    const scheduler = new PollScheduler({ clock, onError: (task, err) => errors.push(`${task.name}: ${(err as Error).message}`) });
    scheduler.add({
      name: 'flaky',
      intervalMs: 30,
      run: async () => {
        starts.push(clock.now());
        if (starts.length === 1) throw new Error('boom');
        if (starts.length === 3) {
          await new Promise<void>((r) => {
            release = r;
          });
          finished = true;
        }
      },
    });
    scheduler.start();
    await clock.runUntil(60);
    assert.deepEqual(starts, [0, 30, 60]);
    const stopping = scheduler.stop();
    await settle();
    assert.equal(finished, false, 'stop() is still waiting for the poll in progress');
    release();
    await stopping;
    assert.equal(finished, true);
    assert.deepEqual(errors, ['flaky: boom']);
  });
});
