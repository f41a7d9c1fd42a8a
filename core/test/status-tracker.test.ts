import assert from 'node:assert/strict';
import type { DeviceStatus } from '@customs-hub/sdk';
import { DeviceStatusTracker } from '../src/devices/status-tracker.js';

function tracker(n = 3) {
  const published: DeviceStatus[] = [];
  const t = new DeviceStatusTracker({ id: 'D1', checkpoint: 'CP', lane: 'L1', plugin: 'p', adminState: 'enabled' }, { offlineAfterFailures: n }, (s) =>
    published.push(s),
  );
  return { t, published };
}

describe('device status state machine', () => {
  it('goes starting → online on the first good report', () => {
    const { t, published } = tracker();
    assert.equal(t.state, 'starting');
    t.ok('connected');
    assert.equal(t.state, 'online');
    assert.deepEqual(
      published.map((s) => s.state),
      ['online'],
    );
  });

  it('degrades on failures and goes offline after the configured count, then recovers', () => {
    const { t, published } = tracker(3);
    t.ok();
    t.failure('timeout');
    assert.equal(t.state, 'degraded');
    t.failure('timeout');
    assert.equal(t.current.consecutiveFailures, 2);
    t.failure('connection refused', 'ECONNREFUSED');
    assert.equal(t.state, 'offline');
    assert.deepEqual(t.current.lastError && { m: t.current.lastError.message, c: t.current.lastError.code }, { m: 'connection refused', c: 'ECONNREFUSED' });
    const count = published.length;
    t.failure('connection refused');
    assert.equal(published.length, count, 'retries while offline are counted, not published');
    assert.equal(t.current.consecutiveFailures, 4);
    t.goodReading();
    assert.equal(t.state, 'online');
    assert.equal(t.current.consecutiveFailures, 0);
    assert.ok(t.current.lastGoodReading);
  });

  it('recovers from a degraded state a failure caused with the next good reading, not from one the driver reported', () => {
    const { t } = tracker(3);
    t.ok();
    t.failure('malformed frame');
    assert.equal(t.state, 'degraded');
    t.goodReading();
    assert.equal(t.state, 'online');
    assert.equal(t.current.reason, 'readings arriving again');
    t.degraded('panel 3 silent');
    t.goodReading();
    assert.equal(t.state, 'degraded', 'a reported degradation stays until the driver says ok');
    t.ok('all panels');
    assert.equal(t.state, 'online');
  });

  it('faults, counts restarts, and keeps the admin state apart from the operational one', () => {
    const { t } = tracker();
    t.fault('worker crashed');
    assert.equal(t.state, 'faulted');
    t.restarting();
    assert.equal(t.state, 'starting');
    assert.equal(t.current.restarts, 1);
    t.setAdminState('maintenance');
    assert.equal(t.current.adminState, 'maintenance');
    assert.equal(t.state, 'starting');
    t.stopped();
    assert.equal(t.state, 'stopped');
  });
});
