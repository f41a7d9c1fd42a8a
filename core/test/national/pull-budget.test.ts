import assert from 'node:assert/strict';
import { CONNECTION_PULL_MESSAGES, pullBatch } from '../../src/national/pull-budget.js';

describe('national readers: what one connection pulls at once', () => {
  it('keeps every stream on a connection together within the budget, from one stream to a thousand', () => {
    for (const streams of [1, 2, 5, 20, 100, 300, 1000]) {
      const batch = pullBatch(streams);
      assert.ok(batch >= 20 && batch <= 1000, `${streams} streams: batch ${batch}`);
      assert.ok(streams * batch <= CONNECTION_PULL_MESSAGES, `${streams} streams × ${batch} = ${streams * batch} outstanding`);
    }
    // 20 streams of 5,000 each (what the benchmark's reader pulled) is five times the budget.
    assert.ok(20 * 5000 > CONNECTION_PULL_MESSAGES);
    assert.equal(pullBatch(0), 1000, 'no stream yet: a single stream takes the full batch');
  });
});
