import type { Logger, Observation } from '@customs-hub/sdk';
import { describeConformance, freePort, TestHarness } from '@customs-hub/sdk/testing';
import type { RpmConfig } from '../src/config.js';
import { plugin, startRpmSimulator, type RunningRpmSimulator } from '../src/index.js';
export { freePort };

export const quietLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quietLogger };

export function passages(h: TestHarness<unknown>): Array<Observation<'radiation.passage'>> {
  return h.observations.filter((o): o is Observation<'radiation.passage'> => o.kind === 'radiation.passage');
}

export function events(h: TestHarness<unknown>, code?: string): Array<Observation<'device.event'>> {
  return h.observations.filter((o): o is Observation<'device.event'> => o.kind === 'device.event').filter((o) => code === undefined || o.payload.code === code);
}

export function lastTelemetry(h: TestHarness<unknown>): Record<string, number> {
  const t = h.observations.filter((o): o is Observation<'telemetry'> => o.kind === 'telemetry').at(-1);
  if (!t) throw new Error('no telemetry emitted');
  return Object.fromEntries(Object.entries(t.payload.values).map(([k, v]) => [k, Number(v.value)]));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * What every transport's suite needs: a simulator and a driver per test, stopped after each, the first
 * complete passage, and the SDK conformance checks against the same simulator.
 */
export function portalTests(o: {
  sim: Record<string, unknown>;
  hubConfig: (port: number) => RpmConfig;
  passageTimeoutMs: number;
  disrupt: (sim: RunningRpmSimulator) => unknown;
}) {
  let sim: RunningRpmSimulator | null = null;
  let h: TestHarness<RpmConfig> | null = null;
  let port = 0;

  beforeEach(async () => {
    port = await freePort();
  });
  afterEach(async () => {
    await h?.stop();
    await sim?.stop();
    h = null;
    sim = null;
  });

  const conformanceConfig = o.hubConfig(1);
  describeConformance(plugin, {
    config: conformanceConfig,
    before: async () => {
      conformanceConfig.port = await freePort();
      sim = await startRpmSimulator({ ...o.sim, port: conformanceConfig.port, scenario: 'clean' }, quietLogger);
    },
    after: async () => {
      await sim?.stop();
      sim = null;
    },
    disrupt: async () => {
      await o.disrupt(sim!);
    },
  });

  return {
    port: () => port,
    sim: () => sim!,
    startSim: async (options: Record<string, unknown>) => {
      sim = await startRpmSimulator({ ...o.sim, port, ...options }, quietLogger);
      return sim;
    },
    startHub: async (config: RpmConfig) => {
      h = new TestHarness(plugin, { config });
      await h.start();
      return h;
    },
    firstPassage: async (hub: TestHarness<RpmConfig>) => {
      await hub.waitFor(() => passages(hub).some((p) => p.payload.endReason === 'device'), o.passageTimeoutMs, 'a passage');
      return passages(hub).find((p) => p.payload.endReason === 'device')!;
    },
  };
}
