import assert from 'node:assert/strict';
import { phaseOffsets, PollScheduler } from '../src/poll-scheduler.js';

describe('PollScheduler', () => {
  it('spreads phases evenly over the shortest interval', () => {
    assert.deepEqual(phaseOffsets([1000, 1000, 1000, 1000]), [0, 250, 500, 750]);
    assert.deepEqual(phaseOffsets([300, 600, 900]), [0, 100, 200]);
    assert.deepEqual(phaseOffsets([]), []);
  });

  it('fires tasks sharing a link at staggered times, never together', async () => {
    const starts: Array<{ task: string; at: number }> = [];
    const scheduler = new PollScheduler();
    for (const name of ['a', 'b', 'c']) {
      scheduler.add({ name, intervalMs: 150, run: async () => { starts.push({ task: name, at: Date.now() }); } });
    }
    scheduler.start();
    await new Promise((r) => setTimeout(r, 420));
    await scheduler.stop();
    assert.deepEqual(starts.slice(0, 6).map((s) => s.task), ['a', 'b', 'c', 'a', 'b', 'c']);
    for (let i = 1; i < starts.length; i++) {
      assert.ok(starts[i]!.at - starts[i - 1]!.at >= 30, `polls ${i - 1} and ${i} fired ${starts[i]!.at - starts[i - 1]!.at} ms apart`);
    }
  });

  it('skips the ticks an overrunning poll missed instead of bursting', async () => {
    const starts: number[] = [];
    const scheduler = new PollScheduler();
    scheduler.add({ name: 'slow', intervalMs: 40, run: async () => { starts.push(Date.now()); await new Promise((r) => setTimeout(r, 100)); } });
    scheduler.start();
    await new Promise((r) => setTimeout(r, 380));
    await scheduler.stop();
    assert.ok(starts.length >= 2 && starts.length <= 4, `${starts.length} runs`);
    for (let i = 1; i < starts.length; i++) assert.ok(starts[i]! - starts[i - 1]! >= 100, 'no back-to-back catch-up runs');
  });

  it('reports a failing poll and keeps its schedule; stop() waits for the poll in progress', async () => {
    const errors: string[] = [];
    let runs = 0;
    let finished = false;
    const scheduler = new PollScheduler({ onError: (task, err) => errors.push(`${task.name}: ${(err as Error).message}`) });
    scheduler.add({ name: 'flaky', intervalMs: 30, run: async () => {
      runs++;
      if (runs === 1) throw new Error('boom');
      if (runs === 3) { await new Promise((r) => setTimeout(r, 60)); finished = true; }
    } });
    scheduler.start();
    while (runs < 3) await new Promise((r) => setTimeout(r, 5));
    await scheduler.stop();
    assert.equal(finished, true);
    assert.deepEqual(errors, ['flaky: boom']);
  });
});
