import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InspectionCase, Observation } from '@customs-hub/sdk';
import { createHub } from '../bootstrap.js';
import { CASE_EVENTS } from '../cases/case-events.js';
import type { CaseModule } from '../cases/case-module.js';
import { parseConfig } from '../config/load-config.js';
import type { GroupCommitWriter } from '../storage/group-commit-writer.js';
import { Tokens } from '../tokens.js';
import { identityPluginsPresent, twinCheckpointYaml } from '../twin/twin-checkpoint.js';
import type { TwinRecord } from '../twin/lane-twin.js';
import { spanOf } from '../cases/observation-span.js';
import { evaluate, type Owner, type ScenarioResult } from './evaluate.js';
import { RISKY_KINDS } from './traffic.js';
import { WATCHED_CONSIGNEE } from './goods.js';
import { inspectReferred } from './officers.js';
import { outcomesReport } from '../scoring/outcomes-report.js';

export interface ProtocolScenarioOptions {
  seed: number;
  lanes: number;
  perLane: number;
  intervalS: number;
  pace: number;
}

/** Correlation errors of one device: its readings of a vehicle outside the vehicle's case (split), or in another vehicle's (merged). */
export interface DeviceErrors {
  readings: number;
  split: number;
  merged: number;
  unattributed: number;
}

export interface ProtocolScenarioResult extends ScenarioResult {
  byDevice: Record<string, DeviceErrors>;
  vehiclesMerged: number;
  vehiclesSplit: number;
  /** One line per risky vehicle let through and per clean one referred: its truth beside its case's reasons. */
  verdicts: string[];
}

/**
 * The scenario through real protocols: a checkpoint of cargo lanes whose devices are their plugins'
 * drivers talking to their simulators, all driven by the lane twin; declarations through the API.
 * Readings are attributed to vehicles from the twin's truth (identifiers, else the time each device was
 * handed the vehicle), so split and merged cases are counted per device.
 */
export async function runProtocolScenario(o: ProtocolScenarioOptions): Promise<ProtocolScenarioResult> {
  const dir = mkdtempSync(join(tmpdir(), 'hub-protocols-'));
  const { yaml } = await twinCheckpointYaml({
    dataDir: dir,
    lanes: o.lanes,
    seed: o.seed,
    intervalS: o.intervalS,
    pace: o.pace,
    identityPlugins: identityPluginsPresent(),
    twinExtra: `vehicleLimit: ${o.lanes * o.perLane}, warmUpVehicles: 1`,
    scoringExtra: `  scorers:
    - { name: weight, config: { tolerancePct: 10, toleranceKg: 500 } }
    - { name: watchlist, config: { consignees: [{ value: "${WATCHED_CONSIGNEE}", score: 55, note: "prior concealment" }] } }
  policy: { name: standard-v1, thresholds: { yellow: 40, red: 70 }, randomRate: 0.01 }
`,
  });
  const { config } = parseConfig(yaml, join(dir, 'protocols.yaml'), {});
  const { hub, container } = await createHub(config, {});
  try {
    const started = performance.now();
    await hub.start();
    const cases = container.resolve<CaseModule>(Tokens.Cases);
    const latency = followLatency(container.resolve<GroupCommitWriter>(Tokens.Writer));
    const twin = hub.twin!.twin;
    await until(() => twin.done, (o.perLane * o.intervalS * 3 + 120) * 1000);
    // the last vehicles' readings are still on their way: the X-ray scan lands last
    await new Promise((r) => setTimeout(r, 30_000 * o.pace + 8000));
    await cases.service.closeAll();
    await cases.service.idle();
    const elapsedMs = performance.now() - started;
    const stored = await cases.store.list({ limit: 100_000 });
    const observations = await caseKindObservations(hub.db);
    const owner = attribute(twin.records, observations);
    const deliveries = twin.records.map((r) => r.vehicle.delivery);
    const result = evaluate(deliveries, stored, owner, latency.values(), elapsedMs, observations.length);
    const errors = deviceErrors(stored, observations, owner);
    const verdicts = wrongVerdicts(twin.records, stored, owner);
    await inspectReferred(cases.service, stored, owner, deliveries);
    result.outcomes = outcomesReport(await cases.store.scored(), cases.scoring.policy.thresholds.yellow);
    return { ...result, ...errors, verdicts };
  } finally {
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function until(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`protocol scenario: the twin did not finish within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function caseKindObservations(db: { knex: import('knex').Knex }): Promise<Observation[]> {
  const kinds = ['radiation.passage', 'radiation.nuclide-id', 'xray.scan', 'xray.threat-report', 'weight', 'identification'];
  const rows = await db.knex('observations').select('body').whereIn('kind', kinds).orderBy('seq');
  return rows.map((r: { body: string }) => JSON.parse(r.body) as Observation);
}

/** Hub overhead per complete case: from the receipt of its last reading to its first `scored` event. */
function followLatency(writer: GroupCommitWriter): { values(): number[] } {
  const received = new Map<string, number>();
  const latency = new Map<string, number>();
  writer.onCommitted((committed) => {
    const now = Date.now();
    for (const { item } of committed) {
      if (item.type === 'observation') {
        received.set(item.observation.id, Date.parse(item.observation.receivedAt));
        continue;
      }
      if (item.type !== 'event' || item.event.type !== CASE_EVENTS.scored) continue;
      const c = item.event.data as InspectionCase;
      if (latency.has(c.id) || c.closeReason !== 'complete') continue;
      const last = Math.max(...c.observationIds.map((id) => received.get(id) ?? -Infinity));
      if (Number.isFinite(last)) latency.set(c.id, now - last);
    }
  });
  return { values: () => [...latency.values()] };
}

/** Which vehicle each reading was of, from the twin's truth: the identifiers it read, else the time its device was handed the vehicle. */
function attribute(records: TwinRecord[], observations: Observation[]): Map<string, Owner> {
  const owner = new Map<string, Owner>();
  for (const o of observations) {
    const device = o.deviceId.replace(/^CARGO-\d+-/, '').toLowerCase();
    const lane = records.filter((r) => r.lane === o.lane);
    const read = o.conveyance.containers.map((c) => c.number);
    const plates = o.conveyance.plates.map((p) => p.number);
    let match = read.length > 0 ? lane.find((r) => read.some((n) => r.vehicle.containers.includes(n))) : undefined;
    match ??= plates.length > 0 ? lane.find((r) => plates.some((p) => p === r.vehicle.plateRead || p === r.vehicle.delivery.plate)) : undefined;
    if (!match) {
      const start = o.kind === 'weight' ? Date.parse(o.deviceTime) : spanOf(o).start;
      let best = Infinity;
      for (const r of lane) {
        const at = r.passes.get(o.deviceId);
        if (at === undefined || at === null) continue;
        const miss = Math.abs(start - at);
        if (miss < best) {
          best = miss;
          match = r;
        }
      }
      if (best > 20_000) match = undefined;
    }
    if (match) owner.set(o.id, { delivery: match.vehicle.delivery.id, device });
  }
  return owner;
}

function deviceErrors(
  cases: InspectionCase[],
  observations: Observation[],
  owner: Map<string, Owner>,
): Pick<ProtocolScenarioResult, 'byDevice' | 'vehiclesMerged' | 'vehiclesSplit'> {
  const caseOf = new Map<string, string>();
  for (const c of cases) for (const id of c.observationIds) caseOf.set(id, c.id);
  // a vehicle's case: the one holding most of its readings; a case's vehicle likewise
  const tally = new Map<number, Map<string, number>>();
  const caseTally = new Map<string, Map<number, number>>();
  for (const [id, w] of owner) {
    const c = caseOf.get(id);
    if (!c) continue;
    const t = tally.get(w.delivery) ?? tally.set(w.delivery, new Map()).get(w.delivery)!;
    t.set(c, (t.get(c) ?? 0) + 1);
    const u = caseTally.get(c) ?? caseTally.set(c, new Map()).get(c)!;
    u.set(w.delivery, (u.get(w.delivery) ?? 0) + 1);
  }
  const top = <K>(m: Map<K, number> | undefined): K | undefined => (m ? [...m.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] : undefined);
  const byDevice: Record<string, DeviceErrors> = {};
  for (const o of observations) {
    const device = o.deviceId.replace(/^CARGO-\d+-/, '').toLowerCase();
    const e = (byDevice[device] ??= { readings: 0, split: 0, merged: 0, unattributed: 0 });
    e.readings++;
    const w = owner.get(o.id);
    if (!w) {
      e.unattributed++;
      continue;
    }
    const c = caseOf.get(o.id);
    if (!c) continue;
    if (top(tally.get(w.delivery)) !== c) e.split++;
    else if (top(caseTally.get(c)) !== w.delivery) e.merged++;
  }
  let vehiclesSplit = 0;
  for (const t of tally.values()) if (t.size > 1) vehiclesSplit++;
  let vehiclesMerged = 0;
  for (const u of caseTally.values()) if (u.size > 1) vehiclesMerged += u.size;
  return { byDevice, vehiclesMerged, vehiclesSplit };
}

/** Why the scenario's verdict on a vehicle was wrong: what it truly was, what its devices missed, what its case said. */
function wrongVerdicts(records: TwinRecord[], cases: InspectionCase[], owner: Map<string, Owner>): string[] {
  const caseIds = new Map<number, Set<string>>();
  const byId = new Map(cases.map((c) => [c.id, c]));
  for (const c of cases)
    for (const id of c.observationIds) {
      const w = owner.get(id);
      if (w) (caseIds.get(w.delivery) ?? caseIds.set(w.delivery, new Set()).get(w.delivery)!).add(c.id);
    }
  const out: string[] = [];
  for (const r of records) {
    const d = r.vehicle.delivery;
    const mine = [...(caseIds.get(d.id) ?? [])].map((id) => byId.get(id)!);
    const flagged = mine.some((c) => c.channel !== undefined && c.channel !== 'green');
    const risky = RISKY_KINDS.includes(d.kind);
    if (risky === flagged) continue;
    const missed = [...r.passes].filter(([, at]) => at === null).map(([device]) => device);
    const reasons = mine
      .flatMap((c) => c.risk?.contributions ?? [])
      .filter((x) => x.score > 0)
      .sort((a, b) => b.score - a.score)
      .map((x) => `${x.code} ${x.score}`);
    const xray = `X-ray truth density ${r.vehicle.xray.meanDensity}${r.vehicle.xray.findings.length ? `, ${r.vehicle.xray.findings.map((f) => `${f.class} ${f.confidence}`).join(', ')}` : ', no finding'}`;
    out.push(
      `${risky ? 'missed' : 'false alarm'} ${r.vehicle.id} ${d.kind}${d.hidden ? ' (hidden from the equipment)' : ''}: ${xray}; missed by ${missed.join(', ') || 'no device'}; case ${mine.map((c) => c.channel ?? 'unscored').join('/') || 'none'}: ${reasons.join(', ') || 'no reason'}`,
    );
  }
  return out;
}
