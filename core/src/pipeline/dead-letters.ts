import type { Database } from '../storage/database.js';
import { newId } from './ids.js';

export interface DeadLetter {
  id: string;
  deviceId: string;
  plugin: string;
  receivedAt: string;
  reason: string;
  draft: unknown;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (err) {
    return JSON.stringify({ unserializable: String(err) });
  }
}

/** Observations the hub refused, kept with the reason so nothing is silently dropped. */
export class DeadLetterStore {
  constructor(
    private readonly db: Database,
    private readonly checkpoint: string,
  ) {}

  async add(entry: Omit<DeadLetter, 'id' | 'receivedAt'>): Promise<string> {
    const id = newId();
    await this.db.knex('dead_letters').insert({
      id,
      checkpoint: this.checkpoint,
      device_id: entry.deviceId,
      plugin: entry.plugin,
      received_at: new Date().toISOString(),
      reason: entry.reason.slice(0, 4000),
      draft: safeJson(entry.draft).slice(0, 1_000_000),
    });
    return id;
  }

  async list(filter: { deviceId?: string; limit?: number } = {}): Promise<DeadLetter[]> {
    const q = this.db
      .knex('dead_letters')
      .where({ checkpoint: this.checkpoint })
      .orderBy('received_at', 'desc')
      .limit(filter.limit ?? 100);
    if (filter.deviceId) q.andWhere({ device_id: filter.deviceId });
    const rows = await q;
    return rows.map((r) => ({ id: r.id, deviceId: r.device_id, plugin: r.plugin, receivedAt: r.received_at, reason: r.reason, draft: JSON.parse(r.draft) }));
  }
}
