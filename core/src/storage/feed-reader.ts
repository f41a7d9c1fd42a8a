import type { Knex } from 'knex';
import type { Database } from './database.js';
import { OBSERVATION_EVENT_TYPE, type FeedRecord } from './records.js';

/** Reads the feed in sequence order: observations and events merged by seq. */
export class FeedReader {
  constructor(
    private readonly db: Database,
    private readonly checkpoint: string,
  ) {}

  /**
   * On the read connections, both tables in one snapshot: a commit between the two queries must not let the
   * page hold observations past an event it misses (a reader that moves on would skip that event for good).
   */
  async read(after: number, limit: number): Promise<FeedRecord[]> {
    const pg = this.db.dialect === 'postgres';
    return this.db.reader.transaction((trx) => this.page(trx, after, limit), pg ? { isolationLevel: 'repeatable read', readOnly: true } : {});
  }

  private async page(k: Knex.Transaction, after: number, limit: number): Promise<FeedRecord[]> {
    const [obs, events] = await Promise.all([
      k('observations')
        .select('seq', 'id', 'device_id', 'received_at', 'body')
        .where({ checkpoint: this.checkpoint })
        .andWhere('seq', '>', after)
        .orderBy('seq')
        .limit(limit),
      k('events')
        .select('seq', 'id', 'type', 'subject', 'time', 'data')
        .where({ checkpoint: this.checkpoint })
        .andWhere('seq', '>', after)
        .orderBy('seq')
        .limit(limit),
    ]);
    const records: FeedRecord[] = [
      ...obs.map((r) => ({ seq: Number(r.seq), id: r.id, type: OBSERVATION_EVENT_TYPE, subject: r.device_id, time: r.received_at, json: r.body })),
      ...events.map((r) => ({ seq: Number(r.seq), id: r.id, type: r.type, subject: r.subject, time: r.time, json: r.data })),
    ];
    records.sort((a, b) => a.seq - b.seq);
    return records.slice(0, limit);
  }
}
