import { declarationIdentifiers, type Channel, type Declaration, type IdentificationPayload, type InspectionCase, type Observation } from '@customs-hub/sdk';
import { DECLARATION_EVENT, type DeclarationStore } from '../declarations/declaration-store.js';
import { newId } from '../pipeline/ids.js';
import type { CorrelationConfig } from '../scoring/scoring-config.js';
import type { ScoringStage } from '../scoring/scoring-stage.js';
import type { GroupCommitWriter } from '../storage/group-commit-writer.js';
import type { Logger } from '../util/logger.js';
import type { SwallowedErrors } from '../util/swallowed-errors.js';
import type { Knex } from 'knex';
import type { Approval, FourEyes } from '../approvals/four-eyes.js';
import type { AuditInput } from '../audit/audit-entry.js';
import { HUB_ACTOR, type Actor } from '../auth/principal.js';
import { ALLOWED_FROM, CASE_EVENTS, CaseNotFoundError, CaseStateError, UNCORRELATED_EVENT, type CaseTransition } from './case-events.js';
import type { CaseStore } from './case-store.js';
import { Correlator, type WorkingCase } from './correlator.js';

const SEVERITY: Record<Channel, number> = { green: 0, yellow: 1, red: 2 };

export interface CaseServiceOptions {
  sweepIntervalMs: number;
  /** Where errors dropped on purpose are logged and counted. */
  errors?: SwallowedErrors;
  now?: () => number;
  /** Devices expected to be silent now (maintenance, disabled): not waited for, not missing. */
  excused?: (deviceId: string) => boolean;
  /** Four-eyes: a red case's release waits for a second person with the supervisor role. */
  fourEyes?: FourEyes | null;
  releaseRedNeedsApproval?: boolean;
}

/** What an officer's action writes besides the case: its audit entries and, for an approved action, the approval's row. */
interface Extra {
  audit: AuditInput[];
  apply?: (trx: Knex.Transaction) => Promise<void>;
}

/** The part of a case the audit log keeps as before / after. */
function auditView(c: InspectionCase): Record<string, unknown> {
  return { state: c.state, channel: c.channel ?? null, ...(c.referral ? { referral: c.referral } : {}), ...(c.outcome ? { outcome: c.outcome } : {}) };
}

const policyActor = (policy: string): Actor => ({ ...HUB_ACTOR, subject: `policy ${policy}` });

/**
 * The case lifecycle: committed observations are correlated into cases, which open, close (complete or
 * timed out), are scored, then referred (yellow, red) or released (green). Every transition is one feed
 * event written with the case row in the same transaction. All state changes run one at a time, in order.
 */
export class CaseService {
  readonly correlator: Correlator;
  private chain: Promise<void> = Promise.resolve();
  private readonly writes = new Set<Promise<unknown>>();
  private readonly scoring = new Map<string, Promise<void>>();
  private readonly rescore = new Set<string>();
  private lastSeq = 0;
  /** The seq of the last correlator checkpoint queued for writing. */
  private checkpointedSeq = 0;
  private recovering: { stop: boolean } = { stop: false };
  private unsubscribe: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(
    private config: CorrelationConfig,
    private readonly checkpoint: string,
    private readonly writer: GroupCommitWriter,
    private readonly store: CaseStore,
    private readonly declarations: DeclarationStore,
    private readonly stage: ScoringStage,
    private readonly logger: Logger,
    private readonly options: CaseServiceOptions = { sweepIntervalMs: 1000 },
  ) {
    this.correlator = new Correlator(config, checkpoint, options.excused);
    this.now = options.now ?? Date.now;
    // An approved release is carried out here, the approval's decision written with the case in one transaction.
    options.fourEyes?.register('case.release', (commit) =>
      this.mutate(commit.approval.object.id, 'released', () => {}, commit.approval.decidedBy!, 'case.released', commit),
    );
  }

  /** Reloads unsettled cases, replays observations committed since, then follows the writer. */
  async start(): Promise<void> {
    // Recovery is queued first and the writer followed at once: the replay stops at the seq of this moment and
    // everything committed later comes through the listener (skipped by seq if already seen), so a device
    // flooding the hub during recovery cannot make the replay chase the writer.
    const upTo = this.writer.sequence;
    const recovered = this.enqueue(() => this.recover(upTo));
    this.unsubscribe = this.writer.onCommitted((committed) => {
      for (const { item } of committed) {
        if (item.type === 'observation') void this.enqueue(() => this.process(item.observation));
        else if (item.type === 'event' && item.event.type === DECLARATION_EVENT)
          void this.enqueue(() => this.declarationArrived(item.event.data as Declaration));
      }
    });
    await recovered;
    if (this.options.sweepIntervalMs > 0) {
      this.timer = setInterval(() => {
        void this.sweep();
      }, this.options.sweepIntervalMs);
      this.timer.unref();
    }
  }

  /** Ends a recovery in progress at its next step (the hub is stopping while it starts). */
  interrupt(): void {
    this.recovering.stop = true;
  }

  /** Stops following, lets scoring and pending writes finish. Open cases stay open and are reloaded at start. */
  async stop(): Promise<void> {
    this.recovering.stop = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    await this.idle();
    // Without the last checkpoint the next start replays a little more: logged, and the stop goes on.
    await this.enqueue(() => this.saveCheckpoint()).catch((err) =>
      this.options.errors?.record('cases.checkpoint-at-stop', err, { checkpoint: this.checkpoint }, 'correlator checkpoint at stop not stored'),
    );
    await this.idle();
  }

  /** Resolves when everything queued so far (correlation, scoring, writes) is done. */
  async idle(): Promise<void> {
    for (;;) {
      await this.chain;
      if (this.scoring.size === 0 && this.writes.size === 0) return;
      await Promise.allSettled([...this.scoring.values(), ...this.writes]);
    }
  }

  /** Closes cases whose time is up and forgets those past the late window; then checkpoints the correlator. */
  sweep(): Promise<void> {
    return this.enqueue(async () => {
      const now = this.now();
      for (const wc of this.correlator.timedOut(now)) this.close(wc, 'timeout');
      this.correlator.evict(now);
      this.saveCheckpoint();
    });
  }

  /**
   * Writes, in one transaction queued behind every case write so far, what recovery needs: the links of open
   * cases not stored yet (a write that failed; links are stored as they join), the lanes' clocks and learned timing, and the seq processed. A restart then reads the
   * open cases and replays only what came after that seq.
   */
  private saveCheckpoint(): void {
    if (this.lastSeq <= this.checkpointedSeq) return;
    const processed = this.lastSeq;
    const state = this.correlator.snapshot();
    const open = this.correlator.cases
      .filter((wc) => wc.persisted < wc.case.observationIds.length)
      .map((wc) => {
        const snapshot = structuredClone(wc.case);
        const fresh = snapshot.observationIds.slice(wc.persisted);
        wc.persisted = snapshot.observationIds.length;
        return { snapshot, firstSeq: wc.firstSeq, fresh };
      });
    this.checkpointedSeq = processed;
    const write = this.writer.write({
      type: 'state',
      apply: async (trx) => {
        for (const c of open) await this.store.upsert(trx, c.snapshot, c.firstSeq, c.fresh);
        await this.store.saveState(trx, processed, state);
      },
    });
    const tracked = write
      .catch((err) => {
        this.checkpointedSeq = 0;
        this.logger.warn({ err }, 'correlator checkpoint not stored');
      })
      .finally(() => this.writes.delete(tracked));
    this.writes.add(tracked);
  }

  /**
   * The rules of a reloaded config: a lane's devices changed. Open cases wait for the lane's devices now;
   * one that already heard from all of them closes complete at once.
   */
  reconfigure(config: CorrelationConfig): Promise<void> {
    return this.enqueue(() => {
      this.config = config;
      this.correlator.reconfigure(config);
      for (const wc of this.correlator.cases) {
        if (wc.case.state === 'open' && this.correlator.isComplete(wc)) this.close(wc, 'complete');
      }
    });
  }

  /** Closes every open case now (the scenario's end of day; tests). */
  closeAll(): Promise<void> {
    return this.enqueue(async () => {
      for (const wc of this.correlator.cases) if (wc.case.state === 'open') this.close(wc, 'timeout');
    });
  }

  /** An officer (or the central system) refers a case for inspection; `by` is the credential's identity. */
  refer(id: string, reason: string, by: Actor = HUB_ACTOR): Promise<InspectionCase> {
    return this.mutate(
      id,
      'referred',
      (c) => {
        c.referral = { reason, by: by.subject, at: new Date(this.now()).toISOString() };
      },
      by,
      'case.referred',
    );
  }

  /** Called after an outcome is recorded (the case module stores it as the declaration's label). */
  onOutcome: ((c: InspectionCase) => Promise<void>) | null = null;

  /**
   * Records the inspection result; the officer is the actor (the credential), never a name from a request.
   * No violation releases the case — a red one only once a second person approved (four-eyes), until then
   * `approval` is the pending request; a violation keeps it inspected (detained).
   */
  async recordOutcome(
    id: string,
    outcome: { violation: boolean; findings?: string; release?: boolean },
    by: Actor = HUB_ACTOR,
  ): Promise<InspectionCase & { approval?: Approval }> {
    const at = new Date(this.now()).toISOString();
    const inspected = await this.mutate(
      id,
      'inspected',
      (c) => {
        c.outcome = { violation: outcome.violation, recordedAt: at, ...(outcome.findings ? { findings: outcome.findings } : {}), officer: by.subject };
      },
      by,
      'case.outcome',
    );
    await this.onOutcome?.(inspected);
    return (outcome.release ?? !outcome.violation) ? this.release(id, by) : inspected;
  }

  /** Releases a case; a red one needs a supervisor's approval, requested here (the case stays as it is until then). */
  async release(id: string, by: Actor = HUB_ACTOR): Promise<InspectionCase & { approval?: Approval }> {
    const fourEyes = this.options.fourEyes;
    if (fourEyes && this.options.releaseRedNeedsApproval) {
      const c = this.correlator.cases.find((x) => x.case.id === id)?.case ?? (await this.store.get(id));
      if (!c) throw new CaseNotFoundError(id);
      if (c.channel === 'red') {
        if (!ALLOWED_FROM.released.includes(c.state)) throw new CaseStateError(c, 'released');
        const approval = await fourEyes.request(
          'case.release',
          { type: 'case', id },
          by,
          { case: id, channel: c.channel, state: c.state },
          'release of a red case',
        );
        return { ...structuredClone(c), approval };
      }
    }
    return this.mutate(id, 'released', () => {}, by, 'case.released');
  }

  private enqueue(task: () => Promise<void> | void): Promise<void> {
    const run = this.chain.then(task);
    // An officer's request refused (unknown case, wrong state) is answered to the caller, not logged as a failure.
    this.chain = run.catch((err) => {
      if (!(err instanceof CaseNotFoundError || err instanceof CaseStateError)) this.logger.error({ err }, 'case correlation step failed');
    });
    return run;
  }

  private async process(o: Observation): Promise<void> {
    if (o.seq <= this.lastSeq) return;
    this.lastSeq = o.seq;
    const a = this.correlator.assign(o, this.now());
    if (!a) return;
    if (a.wc === null) {
      this.recordUncorrelated(o, a.reason);
      return;
    }
    const { wc } = a;
    if (a.opened) void this.transition(wc, 'opened');
    if (wc.case.state === 'open') {
      if (this.correlator.isComplete(wc)) {
        this.correlator.learnTiming(wc);
        this.close(wc, 'complete');
      } else if (!a.opened) this.storeLinks(wc);
    } else {
      // A late observation (a file uploaded later, a slow device) or a repeat after the close: the case is
      // scored again with it, which also stores the link — nothing joins a case only in memory.
      if (wc.case.closeReason === 'complete' && !a.duplicate) this.correlator.learnTiming(wc, [o]);
      wc.case.missingDevices = this.correlator.missingDevices(wc);
      this.scheduleScoring(wc);
    }
  }

  /**
   * An open case's new links, written as they join (case row and links in one transaction, through the
   * writer): a crash of the hub while the case is open loses none of them, replay window or not.
   */
  private storeLinks(wc: WorkingCase): void {
    if (wc.persisted >= wc.case.observationIds.length) return;
    const snapshot = structuredClone(wc.case);
    const fresh = snapshot.observationIds.slice(wc.persisted);
    wc.persisted = snapshot.observationIds.length;
    const firstSeq = wc.firstSeq;
    const write = this.writer.write({ type: 'state', apply: (trx) => this.store.upsert(trx, snapshot, firstSeq, fresh) });
    const tracked = write
      .catch((err) => {
        wc.persisted = 0;
        this.logger.error({ err, case: snapshot.id }, 'case links not stored');
      })
      .finally(() => this.writes.delete(tracked));
    this.writes.add(tracked);
  }

  /** An observation that belongs to no case: one feed event, and a row saying why, in one transaction. */
  private recordUncorrelated(o: Observation, reason: string): void {
    const time = new Date(this.now()).toISOString();
    const data = { observationId: o.id, deviceId: o.deviceId, lane: o.lane, kind: o.kind, reason };
    const write = this.writer.write({
      type: 'event',
      event: { id: newId(), type: UNCORRELATED_EVENT, subject: o.id, time, data },
      apply: (trx) => this.store.recordUncorrelated(trx, o, reason, time),
    });
    const tracked = write
      .catch((err) => this.logger.error({ err, observation: o.id }, 'uncorrelated observation not recorded'))
      .finally(() => this.writes.delete(tracked));
    this.writes.add(tracked);
  }

  /** A declaration that arrives after its conveyance was scored (a late manifest, an amendment): score again. */
  private declarationArrived(d: Declaration): void {
    const ids = new Set(declarationIdentifiers(d));
    for (const wc of this.correlator.cases) {
      if (wc.case.state === 'open') continue;
      if ([...wc.containers, ...wc.plates, ...wc.items].some((x) => ids.has(x))) this.scheduleScoring(wc);
    }
  }

  private close(wc: WorkingCase, reason: 'complete' | 'timeout'): void {
    wc.case.closedAt = new Date(this.now()).toISOString();
    wc.case.closeReason = reason;
    wc.case.missingDevices = this.correlator.missingDevices(wc);
    wc.closedAtMs = this.now();
    void this.transition(wc, 'closed');
    this.scheduleScoring(wc);
  }

  private scheduleScoring(wc: WorkingCase): void {
    const id = wc.case.id;
    if (this.scoring.has(id)) {
      this.rescore.add(id);
      return;
    }
    const run = this.scoreCase(wc)
      .catch((err) => this.logger.error({ err, case: id }, 'case scoring failed'))
      .finally(() => {
        this.scoring.delete(id);
        if (this.rescore.delete(id)) void this.enqueue(() => this.scheduleScoring(wc));
      });
    this.scoring.set(id, run);
  }

  private async scoreCase(wc: WorkingCase): Promise<void> {
    const containers = wc.case.conveyance?.containers.filter((c) => c.valid).map((c) => c.number) ?? [];
    const declaration: Declaration | null = await this.declarations.matchFor(
      containers,
      wc.case.conveyance?.plates.map((p) => p.number) ?? [],
      [...wc.items],
      callOf(wc.observations),
    );
    const snapshot: InspectionCase = structuredClone({ ...wc.case, ...(declaration ? { declarationNumber: declaration.number } : {}) });
    const risk = await this.stage.score({ case: snapshot, observations: [...wc.observations], declaration }, new Date(this.now()));
    await this.enqueue(() => {
      const before = wc.case.channel;
      if (declaration) wc.case.declarationNumber = declaration.number;
      wc.case.risk = risk;
      wc.case.channel = risk.channel;
      void this.transition(wc, 'scored');
      const worse = before !== undefined && SEVERITY[risk.channel] > SEVERITY[before];
      if (risk.channel !== 'green' && (wc.case.state === 'scored' || (worse && wc.case.state === 'released'))) {
        const top = [...risk.contributions].sort((x, y) => y.score - x.score)[0];
        const why = risk.random ? 'picked at random (minimum random rate)' : top ? top.reason : `score ${risk.score}`;
        const prior = auditView(wc.case);
        wc.case.referral = { reason: `${risk.channel} channel: ${why}`, by: `policy ${risk.policy}`, at: risk.scoredAt };
        void this.transition(wc, 'referred', {
          audit: [
            {
              actor: policyActor(risk.policy),
              action: 'case.referred',
              object: { type: 'case', id: wc.case.id },
              before: prior,
              after: { ...auditView(wc.case), state: 'referred', score: risk.score },
            },
          ],
        });
      } else if (risk.channel === 'green' && wc.case.state === 'scored') {
        void this.transition(wc, 'released', {
          audit: [
            {
              actor: policyActor(risk.policy),
              action: 'case.released',
              object: { type: 'case', id: wc.case.id },
              before: auditView(wc.case),
              after: { ...auditView(wc.case), state: 'released', score: risk.score },
            },
          ],
        });
      }
    });
  }

  /** Applies an officer's transition to a case, in memory when the correlator still holds it, with its audit entry in the same transaction. */
  private async mutate(
    id: string,
    transition: CaseTransition,
    change: (c: InspectionCase) => void,
    by: Actor,
    action: string,
    extra?: Omit<Extra, 'apply'> & { apply?: Extra['apply'] },
  ): Promise<InspectionCase> {
    const out: { case?: InspectionCase; write?: Promise<unknown> } = {};
    await this.enqueue(async () => {
      const wc = this.correlator.cases.find((x) => x.case.id === id) ?? (await this.loadDetached(id));
      if (!ALLOWED_FROM[transition].includes(wc.case.state)) throw new CaseStateError(wc.case, transition);
      const before = auditView(wc.case);
      change(wc.case);
      const after = { ...auditView(wc.case), state: transition };
      out.write = this.transition(wc, transition, {
        audit: [...(extra?.audit ?? []), { actor: by, action, object: { type: 'case', id }, before, after }],
        ...(extra?.apply ? { apply: extra.apply } : {}),
      });
      out.case = structuredClone(wc.case);
    });
    await out.write;
    return out.case!;
  }

  private async loadDetached(id: string): Promise<WorkingCase> {
    const c = await this.store.get(id);
    if (!c) throw new CaseNotFoundError(id);
    return {
      case: c,
      observations: [],
      span: { start: 0, end: 0 },
      devices: new Set(),
      containers: new Set(),
      plates: new Set(),
      items: new Set(),
      lastActivityMs: 0,
      closedAtMs: 0,
      firstSeq: 0,
      persisted: c.observationIds.length,
    };
  }

  /**
   * One transition: the state changes, and the event, the case row and its audit entries are written in one transaction.
   * The correlator does not wait on the write (`void` at its calls): a failed write is logged and tracked here.
   */
  private transition(wc: WorkingCase, transition: CaseTransition, extra?: Extra): Promise<unknown> {
    if (transition !== 'opened' && transition !== 'scored') wc.case.state = transition;
    if (transition === 'scored' && wc.case.state === 'closed') wc.case.state = 'scored';
    const snapshot = structuredClone(wc.case);
    const fresh = snapshot.observationIds.slice(wc.persisted);
    wc.persisted = snapshot.observationIds.length;
    const firstSeq = wc.firstSeq;
    const time = new Date(this.now()).toISOString();
    const write = this.writer.write({
      type: 'event',
      event: { id: newId(), type: CASE_EVENTS[transition], subject: snapshot.id, time, data: snapshot },
      apply: async (trx) => {
        await extra?.apply?.(trx);
        await this.store.upsert(trx, snapshot, firstSeq, fresh);
      },
      ...(extra?.audit.length ? { audit: extra.audit } : {}),
    });
    const tracked = write
      .catch((err) => this.logger.error({ err, case: snapshot.id, transition }, 'case transition not stored'))
      .finally(() => this.writes.delete(tracked));
    this.writes.add(tracked);
    return write;
  }

  /**
   * After a restart: the correlator's checkpoint and the unsettled cases back in memory, then the observations
   * committed after the checkpoint (a second's worth, not the history). Without a checkpoint (an older hub's
   * data), observations since the oldest open case are replayed, as before.
   */
  private async recover(upTo: number): Promise<void> {
    const now = this.now();
    const since = new Date(now - this.config.lateS * 1000).toISOString();
    const saved = await this.store.loadState();
    if (saved) this.correlator.restoreSnapshot(saved.state);
    const unsettled = await this.store.unsettled(since);
    let from = saved ? saved.processedSeq : await this.store.lastLinkedSeq();
    // The cases' observations in a few large reads, not a query per case.
    for (let i = 0; i < unsettled.length; i += 200) {
      if (this.recovering.stop) return;
      const group = unsettled.slice(i, i + 200);
      const bodies = await this.store.observationsById(group.flatMap((u) => u.case.observationIds));
      for (const u of group) {
        const observations = u.case.observationIds.map((id) => bodies.get(id)).filter((o): o is Observation => o !== undefined);
        this.correlator.restore(u.case, observations, u.firstSeq, now);
        if (!saved && u.case.state === 'open') from = Math.min(from, u.firstSeq);
      }
    }
    let replayed = 0;
    while (from < upTo) {
      if (this.recovering.stop) return; // the hub is stopping: what is not replayed now is replayed next start
      // Older observations could no longer join a case: a hub that ran without scoring does not replay its history.
      const page = await this.store.observationsAfter(from, since, 500, upTo);
      if (page.length === 0) break;
      const linked = await this.store.linked(page.map((o) => o.id));
      for (const o of page) if (!linked.has(o.id)) await this.process(o);
      from = page[page.length - 1]!.seq;
      replayed += page.length;
    }
    this.lastSeq = Math.max(this.lastSeq, from);
    this.checkpointedSeq = saved ? saved.processedSeq : 0;
    this.logger.info({ cases: unsettled.length, checkpoint: saved?.processedSeq ?? null, replayed, resumedAfterSeq: from }, 'cases recovered');
  }
}

/** The vessel call or flight an identity reader of the case gave with its reading (a port gate, a bag-tag reader). */
function callOf(observations: Observation[]): { voyage?: string; flight?: string } {
  for (const o of observations) {
    if (o.kind !== 'identification') continue;
    const p = o.payload as IdentificationPayload;
    if (p.vessel?.voyage || p.flight?.number)
      return { ...(p.vessel?.voyage ? { voyage: p.vessel.voyage } : {}), ...(p.flight ? { flight: p.flight.number } : {}) };
  }
  return {};
}
