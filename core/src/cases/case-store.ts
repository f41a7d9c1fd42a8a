import type { Knex } from 'knex';
import type { Channel, InspectionCase, Observation } from '@customs-hub/sdk';
import type { Database } from '../storage/database.js';
import type { CorrelatorSnapshot } from './correlator.js';

export interface CaseQuery {
  channel?: Channel;
  state?: string;
  lane?: string;
  after?: string;
  limit: number;
}

/** Reads and writes the case tables. Writes only inside the writer's transaction (`upsert(trx)`). */
export class CaseStore {
  constructor(
    private readonly db: Database,
    private readonly checkpoint: string,
  ) {}

  /** Stores the case as it is now and links observations not linked yet; runs in the writer's transaction. */
  async upsert(trx: Knex.Transaction, c: InspectionCase, firstSeq: number, newObservationIds: string[]): Promise<void> {
    const ids = [
      ...(c.conveyance?.containers ?? []).map((x) => x.number),
      ...(c.conveyance?.plates ?? []).map((p) => p.number),
      ...(c.conveyance?.itemId ? [c.conveyance.itemId] : []),
    ];
    const row = {
      id: c.id,
      checkpoint: c.checkpoint,
      lane: c.lane,
      state: c.state,
      channel: c.channel ?? null,
      score: c.risk?.score ?? null,
      opened_at: c.openedAt,
      updated_at: new Date().toISOString(),
      declaration_number: c.declarationNumber ?? null,
      identifiers: ids.length > 0 ? ` ${ids.join(' ')} `.slice(0, 500) : '',
      first_seq: firstSeq,
      body: JSON.stringify(c),
    };
    await trx('cases').insert(row).onConflict('id').merge();
    const links = [...new Set(newObservationIds)].map((observation_id) => ({ case_id: c.id, observation_id }));
    for (let i = 0; i < links.length; i += 400)
      await trx('case_observations')
        .insert(links.slice(i, i + 400))
        .onConflict(['case_id', 'observation_id'])
        .ignore();
  }

  async get(id: string): Promise<InspectionCase | null> {
    const row = await this.db.knex('cases').select('body').where({ id, checkpoint: this.checkpoint }).first();
    return row ? (JSON.parse(row.body) as InspectionCase) : null;
  }

  /** Newest first; `after` is a case id for paging (ids are time-ordered UUIDv7). */
  async list(q: CaseQuery): Promise<InspectionCase[]> {
    const k = this.db.knex('cases').select('body').where({ checkpoint: this.checkpoint });
    if (q.channel) k.andWhere({ channel: q.channel });
    if (q.state) k.andWhere({ state: q.state });
    if (q.lane) k.andWhere({ lane: q.lane });
    if (q.after) k.andWhere('id', '<', q.after);
    const rows = await k.orderBy('id', 'desc').limit(q.limit);
    return rows.map((r) => JSON.parse(r.body) as InspectionCase);
  }

  /** Every scored case, for the outcomes report; `since` is an ISO time on opened_at. */
  async scored(since?: string): Promise<InspectionCase[]> {
    const k = this.db.knex('cases').select('body').where({ checkpoint: this.checkpoint }).whereNotNull('channel');
    if (since) k.andWhere('opened_at', '>=', since);
    const rows = await k.orderBy('id');
    return rows.map((r) => JSON.parse(r.body) as InspectionCase);
  }

  async observations(ids: string[]): Promise<Observation[]> {
    const byId = await this.observationsById(ids);
    return ids.map((id) => byId.get(id)).filter((o): o is Observation => o !== undefined);
  }

  /** Stored observations by id (those still stored), read 400 at a time. */
  async observationsById(ids: string[]): Promise<Map<string, Observation>> {
    const out = new Map<string, Observation>();
    for (let i = 0; i < ids.length; i += 400) {
      const rows = await this.db
        .knex('observations')
        .select('body')
        .whereIn('id', ids.slice(i, i + 400));
      for (const r of rows) {
        const o = JSON.parse(r.body) as Observation;
        out.set(o.id, o);
      }
    }
    return out;
  }

  /** The correlator's last checkpoint: the seq it had processed and its snapshot; null before the first. */
  async loadState(): Promise<{ processedSeq: number; state: CorrelatorSnapshot } | null> {
    const row = await this.db.knex('correlator_state').where({ checkpoint: this.checkpoint }).first();
    return row ? { processedSeq: Number(row.processed_seq), state: JSON.parse(row.state) as CorrelatorSnapshot } : null;
  }

  /** Writes the correlator's checkpoint; runs in the writer's transaction. */
  async saveState(trx: Knex.Transaction, processedSeq: number, state: CorrelatorSnapshot): Promise<void> {
    await trx('correlator_state')
      .insert({ checkpoint: this.checkpoint, processed_seq: processedSeq, state: JSON.stringify(state), saved_at: new Date().toISOString() })
      .onConflict('checkpoint')
      .merge();
  }

  /** Cases that can still change after a restart: open ones, and closed ones inside the late window. */
  async unsettled(sinceIso: string): Promise<Array<{ case: InspectionCase; firstSeq: number }>> {
    const rows = await this.db
      .knex('cases')
      .select('body', 'first_seq')
      .where({ checkpoint: this.checkpoint })
      // eslint-disable-next-line @typescript-eslint/no-misused-promises -- a knex grouping callback: the builder it returns is not awaited
      .andWhere((w) => w.where({ state: 'open' }).orWhere('updated_at', '>=', sinceIso))
      .orderBy('id');
    return rows.map((r) => ({ case: JSON.parse(r.body) as InspectionCase, firstSeq: Number(r.first_seq) }));
  }

  /** Records that an observation belongs to no case, and why; runs in the writer's transaction. */
  async recordUncorrelated(trx: Knex.Transaction, o: Observation, reason: string, at: string): Promise<void> {
    await trx('uncorrelated_observations')
      .insert({ observation_id: o.id, checkpoint: this.checkpoint, lane: o.lane, device_id: o.deviceId, reason: reason.slice(0, 300), recorded_at: at })
      .onConflict('observation_id')
      .ignore();
  }

  /** Observations recorded as belonging to no case, newest first. */
  async uncorrelated(
    limit: number,
    lane?: string,
  ): Promise<Array<{ observationId: string; lane: string | null; deviceId: string; reason: string; recordedAt: string }>> {
    const k = this.db.knex('uncorrelated_observations').select('*').where({ checkpoint: this.checkpoint });
    if (lane) k.andWhere({ lane });
    const rows = await k.orderBy('recorded_at', 'desc').limit(limit);
    return rows.map((r) => ({ observationId: r.observation_id, lane: r.lane, deviceId: r.device_id, reason: r.reason, recordedAt: r.recorded_at }));
  }

  /** Which of these observations are already decided: linked to a case, or recorded as belonging to none. */
  async linked(observationIds: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < observationIds.length; i += 400) {
      const chunk = observationIds.slice(i, i + 400);
      const rows = await this.db.knex('case_observations').select('observation_id').whereIn('observation_id', chunk);
      for (const r of rows) out.add(r.observation_id);
      const none = await this.db.knex('uncorrelated_observations').select('observation_id').whereIn('observation_id', chunk);
      for (const r of none) out.add(r.observation_id);
    }
    return out;
  }

  /** The highest feed seq of an observation already linked to a case: correlation resumes after it. */
  async lastLinkedSeq(): Promise<number> {
    const row = await this.db
      .knex('case_observations as co')
      .join('observations as o', 'o.id', 'co.observation_id')
      .where('o.checkpoint', this.checkpoint)
      .max({ m: 'o.seq' })
      .first();
    return Number(row?.m ?? 0);
  }

  /** Observations of this checkpoint after a feed seq and received since a time, in order, for replay after a restart. */
  async observationsAfter(seq: number, receivedSince: string, limit: number, upTo = Number.MAX_SAFE_INTEGER): Promise<Observation[]> {
    const rows = await this.db
      .knex('observations')
      .select('body')
      .where({ checkpoint: this.checkpoint })
      .andWhere('seq', '>', seq)
      .andWhere('seq', '<=', upTo)
      .andWhere('received_at', '>=', receivedSince)
      .orderBy('seq')
      .limit(limit);
    return rows.map((r) => JSON.parse(r.body) as Observation);
  }
}
