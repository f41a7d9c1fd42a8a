import type { HubConfig } from '../config/types.js';
import type { Database } from '../storage/database.js';

/** One party that must have the feed before retention may delete it, and how far it acknowledged. */
export interface Acknowledger {
  name: string;
  kind: 'broker' | 'consumer';
  ackedSeq: number;
}

/** The feed sequence up to which every acknowledger has the records: nothing after it is deleted. */
export interface AckHorizon {
  seq: number;
  acknowledgers: Acknowledger[];
  note: string;
}

/** The broker targets (outbox) and HTTP feed consumers a config names. */
export function acknowledgersOf(config: HubConfig): Array<Omit<Acknowledger, 'ackedSeq'>> {
  const oc = config.outbox;
  const list: Array<Omit<Acknowledger, 'ackedSeq'>> = [];
  if (oc.nats) list.push({ name: 'nats', kind: 'broker' });
  if (oc.mqtt) list.push({ name: 'mqtt', kind: 'broker' });
  for (const c of config.retention.consumers) list.push({ name: c, kind: 'consumer' });
  return list;
}

/**
 * How far the central system acknowledged the feed: the lowest cursor among the broker targets and the
 * configured consumers. With none configured nothing on the feed counts as acknowledged, unless the config
 * says acknowledgement is not required (a hub nobody reads from).
 */
export async function ackHorizon(db: Database, config: HubConfig, head: number): Promise<AckHorizon> {
  const cp = config.checkpoint.id;
  const parties = acknowledgersOf(config);
  const [brokers, consumers] = await Promise.all([
    db.knex('outbox_state').where({ checkpoint: cp }).select('target', 'acked_seq'),
    db.knex('feed_cursors').where({ checkpoint: cp }).select('consumer', 'acked_seq'),
  ]);
  const acked = new Map<string, number>([
    ...brokers.map((r) => [`broker:${r.target}`, Number(r.acked_seq)] as [string, number]),
    ...consumers.map((r) => [`consumer:${r.consumer}`, Number(r.acked_seq)] as [string, number]),
  ]);
  const acknowledgers = parties.map((p) => ({ ...p, ackedSeq: Math.min(acked.get(`${p.kind}:${p.name}`) ?? 0, head) }));
  if (!config.retention.requireAcknowledgement) {
    return { seq: head, acknowledgers, note: 'retention.requireAcknowledgement is false: records go by age alone' };
  }
  if (acknowledgers.length === 0) {
    return {
      seq: 0,
      acknowledgers,
      note: 'no broker target (outbox) or feed consumer (retention.consumers) is configured: nothing on the feed counts as acknowledged, so none of it is deleted',
    };
  }
  const seq = Math.min(...acknowledgers.map((a) => a.ackedSeq));
  const slowest = acknowledgers
    .filter((a) => a.ackedSeq === seq)
    .map((a) => `${a.kind} ${a.name}`)
    .join(', ');
  return { seq, acknowledgers, note: `acknowledged through seq ${seq} (held by ${slowest})` };
}
