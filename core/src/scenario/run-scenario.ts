import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InspectionCase } from '@customs-hub/sdk';
import { createHub } from '../bootstrap.js';
import { CASE_EVENTS } from '../cases/case-events.js';
import type { CaseModule } from '../cases/case-module.js';
import { parseConfig } from '../config/load-config.js';
import type { ObservationPipeline } from '../pipeline/observation-pipeline.js';
import { ScorerRegistry } from '../scoring/scorer-registry.js';
import type { GroupCommitWriter } from '../storage/group-commit-writer.js';
import { Tokens } from '../tokens.js';
import { draftsFor, type TimedDraft } from './drafts.js';
import { Random } from './random.js';
import { scenarioYaml } from './scenario-config.js';
import { generateTraffic, RISKY_KINDS, type Delivery, type DeliveryKind } from './traffic.js';
import { evaluate, type Owner, type ScenarioResult } from './evaluate.js';
import { inspectReferred } from './officers.js';
import { outcomesReport } from '../scoring/outcomes-report.js';

export interface ScenarioOptions {
  seed: number;
  perLane: number;
  lanes?: string[];
  inFlight?: number;
}

/**
 * A day of traffic through the real pipeline: declarations first (pre-arrival), then every device's drafts
 * in the order they reach the hub, emitted as drivers would, on a temp SQLite database.
 */
export async function runScenario(o: ScenarioOptions): Promise<ScenarioResult> {
  const lanes = o.lanes ?? ['L1', 'L2'];
  const r = new Random(o.seed);
  const start = Date.UTC(2026, 2, 1, 0, 0, 0);
  const deliveries = generateTraffic(r, { start, lanes, perLane: o.perLane });
  const drafts = deliveries.flatMap((d) => draftsFor(r, d)).sort((a, b) => a.emitAt - b.emitAt);
  const dir = mkdtempSync(join(tmpdir(), 'hub-scenario-'));
  const config = parseConfig(scenarioYaml(dir, lanes), join(dir, 'scenario.yaml'), {}).config;
  const scorers = [...ScorerRegistry.discover({}).scorers.values()].map((s) => s.plugin);
  const { hub, container } = await createHub(config, { workspaceDir: null, scorers });
  try {
    await hub.start({ listen: false });
    const cases = container.resolve<CaseModule>(Tokens.Cases);
    const pipeline = container.resolve<ObservationPipeline>(Tokens.Pipeline);
    const latency = followLatency(container.resolve<GroupCommitWriter>(Tokens.Writer));
    const started = performance.now();
    for (let i = 0; i < deliveries.length; i += 100) await Promise.all(deliveries.slice(i, i + 100).map((d) => cases.declarations.submit(d.declaration)));
    const owner = await emitAll(pipeline, drafts, latency.started, o.inFlight ?? 16, () => cases.service.sweep());
    await cases.service.closeAll();
    await cases.service.idle();
    const elapsedMs = performance.now() - started;
    const stored = await cases.store.list({ limit: 100_000 });
    const result = evaluate(deliveries, stored, owner, latency.values(), elapsedMs, drafts.length);
    await inspectReferred(cases.service, stored, owner, deliveries);
    result.outcomes = outcomesReport(await cases.store.scored(), cases.scoring.policy.thresholds.yellow);
    return result;
  } finally {
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Emits in arrival order with a few in flight (devices work in parallel); sweeps now and then. */
async function emitAll(
  pipeline: ObservationPipeline,
  drafts: TimedDraft[],
  started: Map<string, number>,
  inFlight: number,
  sweep: () => Promise<void>,
): Promise<Map<string, Owner>> {
  const owner = new Map<string, Owner>();
  const pending: Promise<void>[] = [];
  for (const [i, d] of drafts.entries()) {
    const t0 = performance.now();
    const source = { deviceId: d.deviceId, lane: d.lane, plugin: { name: `scenario-${d.deviceId.split('-')[0]}`, version: '1.0.0' }, kinds: [d.kind] };
    pending.push(
      pipeline.emit(source, d.draft).then((receipt) => {
        owner.set(receipt.id, { delivery: d.delivery, device: d.deviceId.split('-')[0]! });
        started.set(receipt.id, t0);
      }),
    );
    if (pending.length >= inFlight) await pending.shift();
    if (i % 50 === 49) void sweep();
  }
  await Promise.all(pending);
  return owner;
}

/** Wall time from an observation's emit to the first `scored` event of its case, per case. */
function followLatency(writer: GroupCommitWriter): { started: Map<string, number>; values(): number[] } {
  const started = new Map<string, number>();
  const latency = new Map<string, number>();
  writer.onCommitted((committed) => {
    const now = performance.now();
    for (const { item } of committed) {
      if (item.type !== 'event' || item.event.type !== CASE_EVENTS.scored) continue;
      const c = item.event.data as InspectionCase;
      if (latency.has(c.id) || c.closeReason !== 'complete') continue;
      const last = Math.max(...c.observationIds.map((id) => started.get(id) ?? -Infinity));
      if (Number.isFinite(last)) latency.set(c.id, now - last);
    }
  });
  return { started, values: () => [...latency.values()] };
}

export { RISKY_KINDS, type Delivery, type DeliveryKind, type ScenarioResult };
