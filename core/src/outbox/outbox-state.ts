import type { Database } from '../storage/database.js';

export interface DeliveryState {
  ackedSeq: number;
  dropped: number;
}

/** The last feed sequence a broker target acknowledged, persisted so delivery resumes after a restart. */
export class OutboxStateStore {
  constructor(
    private readonly db: Database,
    private readonly checkpoint: string,
    private readonly target: string,
  ) {}

  async load(): Promise<DeliveryState> {
    const row = await this.db.knex('outbox_state').where({ checkpoint: this.checkpoint, target: this.target }).first();
    return { ackedSeq: Number(row?.acked_seq ?? 0), dropped: Number(row?.dropped ?? 0) };
  }

  async save(state: DeliveryState): Promise<void> {
    await this.db
      .knex('outbox_state')
      .insert({ checkpoint: this.checkpoint, target: this.target, acked_seq: state.ackedSeq, dropped: state.dropped, updated_at: new Date().toISOString() })
      .onConflict(['checkpoint', 'target'])
      .merge();
  }

  /** The first feed sequence after `after` recorded at or after `sinceIso` (for dropping by age). */
  async firstSeqSince(after: number, sinceIso: string): Promise<number | null> {
    const k = this.db.knex;
    const [o, e] = await Promise.all([
      k('observations').where({ checkpoint: this.checkpoint }).andWhere('seq', '>', after).andWhere('received_at', '>=', sinceIso).min({ m: 'seq' }).first(),
      k('events').where({ checkpoint: this.checkpoint }).andWhere('seq', '>', after).andWhere('time', '>=', sinceIso).min({ m: 'seq' }).first(),
    ]);
    const seqs = [o?.m, e?.m].filter((v) => v !== null && v !== undefined).map(Number);
    return seqs.length > 0 ? Math.min(...seqs) : null;
  }
}
