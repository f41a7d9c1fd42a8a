import type { Declaration, DeclarationRiskAssessment, DeclarationRiskHost } from '@customs-hub/sdk';
import { readBody } from '../declarations/declaration-store.js';
import type { Database } from '../storage/database.js';
import type { Logger } from '../util/logger.js';
import type { StoredModel } from './artefact.js';
import { assessBuffers, assessRecord } from './assess.js';
import { featureRow } from './features.js';
import { History } from './history.js';
import { binShares, psi } from './metrics.js';
import { ModelStore } from './model-store.js';
import { riskRecords, type RiskRecord } from './risk-record.js';

const RECENT = 5000;

/**
 * Runs the live and the shadow declaration-risk model. Keeps the history the features read, and moves it
 * forward a day at a time: before a declaration dated D is assessed, the history takes in the
 * declarations of earlier days and the outcomes recorded by midnight starting D — the same rule training
 * used, so a score never reads an outcome the hub did not have by then, nor the declaration's own.
 */
export class DeclarationRiskService {
  readonly store: ModelStore;
  private live: StoredModel | null = null;
  private shadow: StoredModel | null = null;
  private history = new History();
  private dayCursor = '';
  private outcomeCursor = '';
  /** Advances queued or running: while any is, an assessment waits its turn. */
  private advancing = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly recent: Record<'live' | 'shadow', number[]> = { live: [], shadow: [] };
  private readonly buffers = assessBuffers();

  constructor(
    private readonly db: Database,
    private readonly checkpoint: string,
    private readonly logger?: Logger,
  ) {
    this.store = new ModelStore(db, checkpoint);
  }

  /** Reads which models are live and in shadow (again, after a promote or retire). */
  async reload(): Promise<void> {
    const { live, shadow } = await this.store.active();
    this.live = live;
    this.shadow = shadow;
    this.logger?.info({ live: live?.id ?? null, shadow: shadow?.id ?? null }, 'declaration-risk models loaded');
  }

  get models(): { live: StoredModel | null; shadow: StoredModel | null } {
    return { live: this.live, shadow: this.shadow };
  }

  /** The host a scorer sees: the live model, or the shadow one. Null when there is none. */
  host(which: 'live' | 'shadow'): DeclarationRiskHost | null {
    if (!(which === 'live' ? this.live : this.shadow)) return null;
    return { assess: (d) => this.assess(d, which) };
  }

  async assess(d: Declaration, which: 'live' | 'shadow' = 'live'): Promise<DeclarationRiskAssessment | null> {
    const m = which === 'live' ? this.live : this.shadow;
    if (!m) return null;
    const records = riskRecords(d);
    if (records.length === 0) return null;
    // The history is usually at the day already: no wait then (a promise per declaration showed in the profile).
    const day = records[0]!.day || new Date().toISOString().slice(0, 10);
    if (day > this.dayCursor || this.advancing > 0) await this.prepare(day);
    let best: DeclarationRiskAssessment | null = null;
    for (const r of records) {
      const a = assessRecord(m.artefact.gbdt, r, this.history, this.buffers);
      if (!best || a.probability > best.probability)
        best = { model: { id: m.id, trainedUntil: m.artefact.window.until, status: which }, probability: a.probability, item: r.item, factors: a.factors };
    }
    const recent = this.recent[which];
    recent.push(best!.probability);
    if (recent.length > RECENT) recent.splice(0, recent.length - RECENT);
    return best;
  }

  /** The feature row of a record as the history stands (call after prepare). */
  featuresOf(r: RiskRecord): Float64Array {
    return featureRow(r, this.history);
  }

  /** PSI of the recent scores against the model's training window (null before 100 scores). */
  scoreDrift(which: 'live' | 'shadow' = 'live'): number | null {
    const m = which === 'live' ? this.live : this.shadow;
    const recent = this.recent[which];
    if (!m || recent.length < 100) return null;
    const ref = m.artefact.reference.score;
    return psi(ref.shares, binShares(recent, ref.edges));
  }

  /** Moves the history up to the start of `day` (serialized: concurrent assessments wait for one load). */
  prepare(day: string): Promise<void> {
    if (day <= this.dayCursor) return this.chain.then(() => undefined);
    this.advancing++;
    const next = this.chain
      .then(() => this.advance(day))
      .finally(() => {
        this.advancing--;
      });
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async advance(day: string): Promise<void> {
    if (day <= this.dayCursor) return;
    const k = this.db.knex;
    const decls = await k('declarations')
      .select('body')
      .where({ checkpoint: this.checkpoint })
      .andWhere('declared_at', '>=', this.dayCursor)
      .andWhere('declared_at', '<', day)
      .orderBy('declared_at');
    for (const r of decls) for (const rec of riskRecords(readBody(r.body))) this.history.observe(rec);
    const until = `${day}T00:00:00.000Z`;
    const outcomes = await k('declaration_outcomes as o')
      .join('declarations as d', function on() {
        this.on('o.checkpoint', 'd.checkpoint').andOn('o.number', 'd.number');
      })
      .select('d.body', 'o.violation', 'o.severity', 'o.recorded_at')
      .where('o.checkpoint', this.checkpoint)
      .andWhere('o.recorded_at', '>', this.outcomeCursor)
      .andWhere('o.recorded_at', '<=', until)
      .orderBy('o.recorded_at');
    for (const r of outcomes) for (const rec of riskRecords(readBody(r.body))) this.history.learn(rec, Boolean(r.violation), Number(r.severity) >= 2);
    this.dayCursor = day;
    if (until > this.outcomeCursor) this.outcomeCursor = until;
  }
}
