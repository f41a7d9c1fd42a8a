import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineScorer, isValidContainerNumber, type Observation, type ObservationKind, type ScorerPlugin } from '@customs-hub/sdk';
import { sequenced } from '@customs-hub/sdk/runtime';
import { CaseModule } from '../../src/cases/case-module.js';
import { parseConfig } from '../../src/config/load-config.js';
import { newId } from '../../src/pipeline/ids.js';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { GroupCommitWriter } from '../../src/storage/group-commit-writer.js';
import type { FeedRecord } from '../../src/storage/records.js';
import { FeedReader } from '../../src/storage/feed-reader.js';
import { createLogger, type Logger } from '../../src/util/logger.js';

export const T0 = Date.parse('2026-03-01T08:00:00Z');
export const at = (s: number) => new Date(T0 + s * 1000).toISOString();

export interface ObsSpec {
  device: string;
  kind?: ObservationKind;
  lane?: string | null;
  t: number;
  /** For passages: occupancy length in seconds. */
  dur?: number;
  containers?: string[];
  plates?: string[];
  payload?: Record<string, unknown>;
  received?: number;
}

/** A full observation as the pipeline would store it; times are seconds after T0. */
export function obs(s: ObsSpec): Observation {
  const kind = s.kind ?? 'weight';
  const payload =
    s.payload ??
    (kind === 'radiation.passage'
      ? {
          occupancyStart: at(s.t),
          occupancyEnd: at(s.t + (s.dur ?? 6)),
          gamma: { panels: [], background: [250], maxSigma: 1 },
          deviceAlarm: { gamma: false, neutron: false },
          hubAlarm: { gamma: false, neutron: false },
        }
      : kind === 'identification'
        ? { method: 'ocr' }
        : { grossKg: 20000, stable: true });
  return {
    schema: 'observation/v1',
    id: newId(),
    seq: 0,
    checkpoint: 'CP1',
    lane: s.lane === undefined ? 'L1' : s.lane,
    deviceId: s.device,
    plugin: { name: 'test', version: '1.0.0' },
    kind,
    deviceTime: at(kind === 'radiation.passage' ? s.t + (s.dur ?? 6) : s.t),
    receivedAt: at(s.received ?? s.t + 1),
    conveyance: {
      containers: (s.containers ?? []).map((n) => ({ number: n, valid: isValidContainerNumber(n) })),
      plates: (s.plates ?? []).map((number) => ({ number })),
    },
    alarms: [],
    quality: { status: 'good' },
    payload: payload as never,
  };
}

/** A scorer that gives a fixed score, or throws, or hangs, by the case's observation count. */
export function fixedScorer(name: string, score: number, behaviour: 'ok' | 'throw' | 'hang' = 'ok'): ScorerPlugin {
  return defineScorer({
    manifest: { name, version: '1.0.0', sdk: '^1.0.0' },
    create: () => ({
      score: async (input, ctx) => {
        if (behaviour === 'throw') throw new Error(`${name} broke`);
        if (behaviour === 'hang') await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
        return [{ code: `${name}.fixed`, score, reason: `${name} says ${score}`, evidence: { observationIds: input.observations.map((o) => o.id) } }];
      },
    }),
  });
}

export interface CaseFixture {
  db: Database;
  writer: GroupCommitWriter;
  module: CaseModule;
  /** Another case module on the same database and writer, as after a restart. */
  restart(scorers: ScorerPlugin[], logger?: Logger): Promise<CaseModule>;
  write(o: Observation): Promise<Observation>;
  events(prefix?: string): Promise<FeedRecord[]>;
  close(): Promise<void>;
}

/** A case module on a temp SQLite database (or the given storage URL), with the given `scoring:` YAML and scorers; no sweep timer. */
export async function caseFixture(scoringYaml: string, scorers: ScorerPlugin[], storageUrl?: string): Promise<CaseFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'hub-cases-'));
  const config = parseConfig(`checkpoint: { id: CP1 }\ndataDir: ${dir}\nlogging: { level: silent }\n${scoringYaml}`, join(dir, 'test.yaml'), {}).config;
  const db = await openDatabase(storageUrl ?? `sqlite:${join(dir, 'hub.db')}`);
  const writer = new GroupCommitWriter(db, 'CP1', { maxRows: 500, maxDelayMs: 0, queueLimit: 10000 });
  await writer.init();
  const make = async (list: ScorerPlugin[], logger: Logger = createLogger('silent')) => {
    const m = new CaseModule({ config, db, writer, logger, workspaceDir: null, scorers: list, sweepIntervalMs: 0 });
    await m.service.start();
    return m;
  };
  const module = await make(scorers);
  const feed = new FeedReader(db, 'CP1');
  return {
    db,
    writer,
    module,
    restart: make,
    write: async (o) => sequenced(o, (await writer.write({ type: 'observation', observation: o })).seq),
    events: async (prefix = 'customs.case.') => (await feed.read(0, 10000)).filter((r) => r.type.startsWith(prefix)),
    close: async () => {
      await module.stop();
      await writer.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
