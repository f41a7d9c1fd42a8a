import assert from 'node:assert/strict';
import type { DevicePlugin } from '../plugin.js';
import { TestHarness, type HarnessOptions } from './harness.js';
import { WorkerHarness } from './worker-harness.js';

export interface ConformanceOptions<C> extends HarnessOptions<C> {
  /** Observations the driver must emit within runMs (default 1). Set 0 for drivers that wait for input. */
  minObservations?: number;
  /** How long to let the driver run, at most (default 3000 ms). */
  runMs?: number;
  /** Called before each check: start the device simulator here. */
  before?: () => Promise<void> | void;
  /** Called after each check: stop the simulator. */
  after?: () => Promise<void> | void;
  /** Feeds the driver input when it does not produce observations by itself (drop a file, send a frame). */
  stimulate?: (h: TestHarness<C>) => Promise<void> | void;
  /** Breaks the device (kill the simulator, close the socket); the driver must report it as a status. */
  disrupt?: (h: TestHarness<C>) => Promise<void> | void;
  /** Active resource types a driver may leave behind (rarely needed). */
  ignoreResources?: string[];
  /** The module that exports `plugin`, for the check in a worker thread; found among loaded modules when omitted. */
  modulePath?: string;
}

type ResourceCounts = Map<string, number>;
function resources(ignore: string[]): ResourceCounts {
  const counts: ResourceCounts = new Map();
  for (const r of process.getActiveResourcesInfo()) if (!ignore.includes(r)) counts.set(r, (counts.get(r) ?? 0) + 1);
  return counts;
}

function leftovers(before: ResourceCounts, after: ResourceCounts): string[] {
  const out: string[] = [];
  for (const [k, n] of after) if (n > (before.get(k) ?? 0)) out.push(`${k} ×${n - (before.get(k) ?? 0)}`);
  return out;
}

/** Runs body with the harness, collecting unhandled rejections and exceptions; always stops the driver. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any harness, whatever its driver's config type
async function watchingCrashes<H extends TestHarness<any>>(h: H, body: (h: H) => Promise<void>): Promise<unknown[]> {
  const crashes: unknown[] = [];
  const onCrash = (e: unknown) => crashes.push(e);
  process.on('unhandledRejection', onCrash);
  process.on('uncaughtException', onCrash);
  try {
    await body(h);
  } finally {
    await h.stop();
    process.off('unhandledRejection', onCrash);
    process.off('uncaughtException', onCrash);
  }
  return crashes;
}

async function settle(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

async function runUntil<C>(h: TestHarness<C>, opts: ConformanceOptions<C>, min: number): Promise<void> {
  await h.start();
  await opts.stimulate?.(h);
  await h.waitFor(() => h.observations.length >= min, opts.runMs ?? 3000, `${min} observation(s)`).catch(() => undefined);
}

/**
 * Declares the SDK conformance checks for a plugin as mocha tests. Call it inside a describe() of
 * the vendor's own suite. Every check runs the driver through the same harness the hub's contract implies.
 */
export function describeConformance<C>(plugin: DevicePlugin<C>, opts: ConformanceOptions<C>): void {
  const min = opts.minObservations ?? 1;
  const ignore = opts.ignoreResources ?? [];
  describe(`SDK conformance: ${plugin.manifest.name}@${plugin.manifest.version}`, function () {
    this.timeout((opts.runMs ?? 3000) + 15000);
    beforeEach(async () => {
      await opts.before?.();
    });
    afterEach(async () => {
      await opts.after?.();
    });

    it('declares a valid manifest for this SDK and accepts the given config', () => {
      new TestHarness(plugin, opts).checkManifest();
    });

    it('emits only observations that validate against the data model, of its declared kinds', async () => {
      const h = new TestHarness(plugin, opts);
      try {
        await runUntil(h, opts, min);
      } finally {
        await h.stop();
      }
      assert.deepEqual(
        h.rejected.map((r) => r.reason),
        [],
        'rejected observations',
      );
      assert.ok(h.observations.length >= min, `expected at least ${min} observation(s), got ${h.observations.length}`);
      for (const o of h.observations) assert.ok(plugin.manifest.kinds.includes(o.kind), `undeclared kind ${o.kind}`);
    });

    it('ends all its work when stopped: no emits, timers or sockets left behind', async () => {
      await settle(10); // mocha arms its own timeout timer after the test body starts
      const baseline = resources(ignore);
      const h = new TestHarness(plugin, opts);
      await runUntil(h, opts, Math.min(min, 1));
      await h.stop();
      const count = h.observations.length + h.rejected.length;
      await settle(300);
      assert.equal(h.emitsAfterStop, 0, 'emits after stop() resolved');
      assert.equal(h.observations.length + h.rejected.length, count, 'observations after stop()');
      assert.deepEqual(leftovers(baseline, resources(ignore)), [], 'resources still active after stop()');
    });

    it('survives refused emits without crashing and keeps working', async () => {
      const crashes = await watchingCrashes(new TestHarness(plugin, opts), async (h) => {
        h.failEmits(3);
        await runUntil(h, opts, min);
        if (min > 0) await h.waitFor(() => h.observations.length >= 1, opts.runMs ?? 3000, 'an observation after refused emits');
      });
      assert.deepEqual(crashes.map(String), [], 'unhandled errors');
    });

    it('runs in a worker thread as the hub runs it: a refusal arrives as ObservationRejectedError and is not retried', async () => {
      const crashes = await watchingCrashes(new WorkerHarness(plugin, opts), async (h) => {
        h.refuseEmits(1);
        await h.start();
        await opts.stimulate?.(h);
        if (min === 0 && !opts.stimulate) return;
        await h.waitFor(() => h.refusalsSeen.length >= 1, opts.runMs ?? 3000, 'an emit to refuse');
        // Time for a driver that wrongly retries to emit the refused draft again.
        await h.waitFor(() => h.observations.length >= min, Math.min(opts.runMs ?? 3000, 1500), `${min} observation(s)`).catch(() => undefined);
        await settle(300);
        assert.deepEqual(
          h.refusalsSeen.map((s) => [s.name, s.code, s.isObservationRejected]),
          [['ObservationRejectedError', 'OBSERVATION_REJECTED', true]],
          'the driver sees the refusal as the SDK class',
        );
        const refused = h.refused[0]!;
        if (refused.sourceId !== undefined) {
          const again = h.observations.filter((o) => o.sourceId === refused.sourceId).length + h.refused.length - 1;
          assert.equal(again, 0, `the refused draft (sourceId ${refused.sourceId}) was emitted again`);
        }
        assert.deepEqual(
          h.rejected.map((r) => r.reason),
          [],
          'rejected observations',
        );
      });
      assert.deepEqual(crashes.map(String), [], 'unhandled errors');
    });

    it('leaves nothing running in its worker thread after stop', async () => {
      const h = new WorkerHarness(plugin, opts);
      try {
        await runUntil(h, opts, Math.min(min, 1));
      } finally {
        await h.stop();
      }
      assert.deepEqual(
        h.leftovers.filter((r) => !ignore.includes(r.split(' ')[0]!)),
        [],
        'resources still active in the worker after stop()',
      );
      assert.equal(h.emitsAfterStop, 0, 'emits after stop() resolved');
    });

    if (opts.disrupt) {
      it('reports a broken device as a status, not a crash', async () => {
        const crashes = await watchingCrashes(new TestHarness(plugin, opts), async (h) => {
          await runUntil(h, opts, Math.min(min, 1));
          const seen = h.statuses.length;
          await opts.disrupt!(h);
          await h.waitFor(() => h.statuses.slice(seen).some((s) => s.type !== 'ok'), opts.runMs ?? 3000, 'a failure status');
        });
        assert.deepEqual(crashes.map(String), [], 'unhandled errors');
      });
    }
  });
}
