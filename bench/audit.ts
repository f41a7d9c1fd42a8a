// The cost of the audit log on the outcome path: officers' outcomes per second through the case service
// (validate the transition, write the case row and its feed event — and the audit entry, hash-chained, in
// the same transaction) with the audit log and without it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { InspectionCase } from '@customs-hub/sdk';
import {
  CaseModule,
  GroupCommitWriter,
  createLogger,
  openDatabase,
  parseConfig,
  startProgress,
  verifyAudit,
  type Actor,
  type WriteItem,
  type WriteResult,
} from '@customs-hub/core';

const N = Number(process.env.BENCH_OUTCOMES ?? 2000);
const IN_FLIGHT = 200;
const silent = createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));
const OFFICER: Actor = { subject: 'officer-bench', role: 'officer', client: 'token:bench', source: '10.0.0.9' };

/** The baseline: the same writer, with every item's audit entries dropped before they are queued. */
class UnauditedWriter extends GroupCommitWriter {
  override write(item: WriteItem): Promise<WriteResult> {
    if (item.type === 'event' && item.audit) return super.write({ ...item, audit: [] });
    return super.write(item);
  }
}

function referredCase(i: number): InspectionCase {
  const id = `0190${String(i).padStart(4, '0').slice(-4)}-0000-7000-8000-${String(i).padStart(12, '0')}`;
  return {
    schema: 'inspection-case/v1',
    id,
    checkpoint: 'BENCH',
    lane: 'L1',
    state: 'referred',
    channel: 'yellow',
    openedAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    observationIds: [],
    conveyance: { containers: [{ number: 'CSQU3054383', valid: true }], plates: [] },
    missingDevices: [],
    referral: { reason: 'yellow channel', by: 'policy default', at: new Date().toISOString() },
  } as unknown as InspectionCase;
}

async function run(audited: boolean, n = N): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-audit-'));
  try {
    const config = parseConfig(
      `checkpoint: { id: BENCH }\ndataDir: ${dir}\nlogging: { level: silent }\nscoring: { policy: { randomRate: 0 } }\n`,
      join(dir, 'bench.yaml'),
      {},
    ).config;
    const db = await openDatabase(`sqlite:${join(dir, 'hub.db')}`);
    const options = { maxRows: 500, maxDelayMs: 0, queueLimit: 100000 };
    const writer = audited ? new GroupCommitWriter(db, 'BENCH', options) : new UnauditedWriter(db, 'BENCH', options);
    await writer.init();
    const module = new CaseModule({ config, db, writer, logger: silent, workspaceDir: null, scorers: [], sweepIntervalMs: 0 });
    const cases = Array.from({ length: n }, (_, i) => referredCase(i));
    for (let i = 0; i < cases.length; i += 200) {
      await db.knex('cases').insert(
        cases.slice(i, i + 200).map((c) => ({
          id: c.id,
          checkpoint: 'BENCH',
          lane: 'L1',
          state: c.state,
          channel: c.channel,
          score: 50,
          opened_at: c.openedAt,
          updated_at: c.openedAt,
          declaration_number: null,
          identifiers: ' CSQU3054383 ',
          first_seq: 0,
          body: JSON.stringify(c),
        })),
      );
    }
    const t0 = process.hrtime.bigint();
    let next = 0;
    // A violation keeps the case inspected: one transition, one audit entry per outcome.
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < cases.length) {
          const c = cases[next++]!;
          await module.service.recordOutcome(c.id, { violation: true, findings: 'bench' }, OFFICER);
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const entries = Number((await db.knex('audit_log').count({ n: '*' }).first())!.n);
    if (audited) {
      if (entries !== n) throw new Error(`expected ${n} audit entries, found ${entries}`);
      const v = await verifyAudit(db, 'BENCH');
      if (!v.ok) throw new Error(`chain does not verify: ${v.problem!.message}`);
    } else if (entries !== 0) throw new Error(`the baseline wrote ${entries} audit entries`);
    await module.stop();
    await writer.close();
    await db.close();
    return n / seconds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const bar = startProgress({ format: 'runs [{bar}] {value}/{total} (warm-up, then 3 rounds without and with the audit log)', total: 7 });
  // Warm-up, then alternate so neither side gets the machine's quieter moment.
  await run(false, Math.min(N, 300));
  bar.update(1);
  const without: number[] = [];
  const withAudit: number[] = [];
  for (let round = 0; round < 3; round++) {
    without.push(await run(false));
    bar.update(2 + round * 2);
    withAudit.push(await run(true));
    bar.update(3 + round * 2);
  }
  bar.stop();
  const best = (xs: number[]) => Math.max(...xs);
  const a = best(withAudit);
  const b = best(without);
  console.log(`outcomes: ${N} per run, ${IN_FLIGHT} in flight, SQLite (synchronous = FULL), best of 3`);
  console.log(`without audit log: ${without.map((x) => x.toFixed(0)).join(', ')} outcomes/s`);
  console.log(`with audit log:    ${withAudit.map((x) => x.toFixed(0)).join(', ')} outcomes/s (each run's chain verified)`);
  console.log(`audit: ${a.toFixed(0)} outcomes/s with the audit log, ${b.toFixed(0)} without, ratio ${(a / b).toFixed(2)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
