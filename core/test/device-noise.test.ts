import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { DeviceStatus } from '@customs-hub/sdk';
import { createHub } from '../src/bootstrap.js';
import { LogThrottle } from '../src/devices/log-throttle.js';
import { StatusThrottle } from '../src/devices/status-throttle.js';
import { DeviceStatusTracker } from '../src/devices/status-tracker.js';
import { FIXTURES, memoryLogger, testConfig, waitFor } from './helpers/hub-config.js';

const status = (n: number): DeviceStatus => ({ deviceId: 'D', state: n % 2 ? 'online' : 'degraded', reason: `change ${n}` }) as DeviceStatus;

describe('device noise and status text', function () {
  this.timeout(30000);

  it('holds back a flood of log lines from one device and says how many', () => {
    const { logger, lines } = memoryLogger();
    let now = 0;
    const t = new LogThrottle(logger, { burst: 50, perSecond: 2, summaryEveryMs: 10_000 }, () => now);
    for (let i = 0; i < 10_000; i++) t.write('warn', { byte: i }, 'malformed line');
    now += 1000;
    t.write('warn', {}, 'malformed line');
    t.summarize();
    assert.equal(lines.filter((l) => l.msg === 'malformed line').length, 51, 'the burst, then one more after the refill');
    const summary = lines.find((l) => l.suppressed !== undefined);
    assert.equal(summary?.suppressed, 9950);
    assert.match(summary!.msg, /9950 log lines of this device suppressed/);
  });

  it('publishes at most the budget of status changes, then the latest with the count it stands for', () => {
    const published: DeviceStatus[] = [];
    let now = 0;
    const t = new StatusThrottle(
      (s) => published.push(s),
      { burst: 10, perSecond: 0.2 },
      () => now,
    );
    for (let i = 1; i <= 500; i++) t.change(status(i), 'online');
    assert.equal(published.length, 10);
    now += 5000;
    t.flush();
    assert.equal(published.length, 11);
    assert.equal(published.at(-1)!.state, status(500).state);
    assert.match(String(published.at(-1)!.reason), /^change 500 \(490 earlier status changes not published/);
    assert.equal(t.totalSuppressed, 490);
    for (const state of ['faulted', 'offline', 'stopped'] as const) {
      t.change({ ...status(501), state } as DeviceStatus, 'online');
      assert.equal(published.at(-1)!.state, state, `${state} is published at once, whatever the budget`);
    }
  });

  it('publishes a repeated failure with its own text, the same as lastError', () => {
    const published: DeviceStatus[] = [];
    const t = new DeviceStatusTracker({ id: 'D', checkpoint: 'C', lane: null, plugin: 'p', adminState: 'enabled' }, { offlineAfterFailures: 5 }, (s) =>
      published.push(s),
    );
    t.ok();
    t.failure('timeout reading unit 1');
    t.failure('CRC error in reply');
    const last = published.at(-1)!;
    assert.equal(last.lastError?.message, 'CRC error in reply');
    assert.match(String(last.reason), /failure 2\/5: CRC error in reply/);
    for (let i = 0; i < 5; i++) t.failure(`refused ${i}`);
    assert.equal(t.current.state, 'offline');
    assert.match(String(t.current.reason), /last: refused 4$/);
  });

  it('keeps an unreachable device offline although its driver emits link telemetry', async () => {
    const config = testConfig(
      `checkpoint: { id: NOISE-1 }\nsupervisor: { offlineAfterFailures: 3 }\nlanes:\n  - id: L1\n    devices:\n      - { id: LINK, plugin: link-reporter }\n`,
    );
    const { hub } = await createHub(config, { logger: memoryLogger().logger, workspaceDir: null, pluginPaths: [join(FIXTURES, 'link-reporter.js')] });
    await hub.start({ listen: false });
    try {
      await waitFor(() => (hub.devices.status('LINK')?.counters?.accepted ?? 0) >= 10, 10000, 'link telemetry stored');
      assert.equal(hub.devices.status('LINK')?.state, 'offline');
      const events = await hub.db.knex('events').where({ type: 'customs.device.status.v1' });
      const states = events
        .map((e) => JSON.parse(e.data))
        .filter((s) => s.deviceId === 'LINK')
        .map((s) => s.state);
      assert.ok(!states.includes('online'), `never online: ${states.join(', ')}`);
    } finally {
      await hub.stop();
    }
  });
});
