import assert from 'node:assert/strict';
import { backoffDelay } from '../src/backoff.js';

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the ceiling, half of it jittered', () => {
    const opts = { initialMs: 100, maxMs: 1000 };
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, opts, () => 0)),
      [50, 100, 200, 400, 500, 500],
    );
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, opts, () => 1)),
      [100, 200, 400, 800, 1000, 1000],
    );
  });

  it('spreads clients that fail together', () => {
    assert.equal(
      backoffDelay(2, { initialMs: 100 }, () => 0.5),
      300,
    );
    assert.notEqual(
      backoffDelay(2, { initialMs: 100 }, () => 0.1),
      backoffDelay(2, { initialMs: 100 }, () => 0.9),
    );
  });
});
