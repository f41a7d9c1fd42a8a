import { AckPolicy, connect, DeliverPolicy, type ConsumerMessages, type JsMsg, type NatsConnection } from 'nats';
import type { Knex } from 'knex';
import type { Database } from '../storage/database.js';
import type { Logger } from '../util/logger.js';
import { ensureEdgeDownlink } from './downlink-streams.js';
import type { SwallowedErrors } from '../util/swallowed-errors.js';

/** What the hub does with one message of a type; runs inside the transaction that records it as applied. */
export type DownlinkHandler = (body: unknown, apply: (trx: Knex.Transaction) => Promise<void>) => Promise<void>;

export interface DownlinkOptions {
  servers: string[];
  checkpoint: string;
  db: Database;
  logger: Logger;
  /** Where errors dropped on purpose are logged and counted. */
  errors?: SwallowedErrors;
  /** By message type, the last subject token: `down.<checkpoint>.declaration`. */
  handlers: Record<string, DownlinkHandler>;
}

const DURABLE = 'hub';

/**
 * Applies what the centre sends this checkpoint — declarations and pre-arrival manifests — from the leaf node's
 * copy of the downlink, one message at a time in stream order. The stream sequence of each applied message is
 * stored in the same transaction as its effect, so a message redelivered after a crash is skipped: exactly once.
 * A message that cannot be applied (invalid body, unknown type) is logged with the reason and acknowledged, so
 * it never blocks the ones behind it.
 */
export class Downlink {
  private nc: NatsConnection | null = null;
  private messages: ConsumerMessages | null = null;
  private loop: Promise<void> | null = null;
  private applied = 0;
  private stream = '';
  appliedCount = 0;
  refusedCount = 0;

  constructor(private readonly o: DownlinkOptions) {}

  private get stateKey(): string {
    return `downlink:${this.stream}`;
  }

  async start(): Promise<void> {
    this.nc = await connect({ servers: this.o.servers, maxReconnectAttempts: -1, name: `customs-hub ${this.o.checkpoint} downlink` });
    const jsm = await this.nc.jetstreamManager();
    this.stream = await ensureEdgeDownlink(jsm, this.o.checkpoint);
    const row = await this.o.db.knex('outbox_state').where({ checkpoint: this.o.checkpoint, target: this.stateKey }).first();
    this.applied = Number(row?.acked_seq ?? 0);
    await jsm.consumers
      .add(this.stream, { durable_name: DURABLE, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, max_ack_pending: 1 })
      .catch(async (err: Error) => {
        if (!/already in use|exists/i.test(err.message)) throw err;
      });
    const consumer = await this.nc.jetstream().consumers.get(this.stream, DURABLE);
    this.messages = await consumer.consume({ max_messages: 1 });
    const messages = this.messages;
    // A failure that ends the loop is logged when it happens, not only noticed at stop.
    this.loop = (async () => {
      for await (const m of messages) await this.handle(m);
    })().catch((err) => this.o.errors?.record('downlink.loop', err, { stream: this.stream }, 'downlink from the centre stopped on an error'));
    this.o.logger.info({ stream: this.stream, applied: this.applied }, 'downlink from the centre: applying');
  }

  async stop(): Promise<void> {
    this.messages?.stop();
    await this.loop?.catch(() => undefined);
    await this.nc?.close().catch((err) => this.o.errors?.record('downlink.close', err, { stream: this.stream }, 'closing the downlink NATS connection failed'));
    this.nc = null;
  }

  private async handle(m: JsMsg): Promise<void> {
    const seq = m.seq;
    if (seq <= this.applied) {
      m.ack();
      return;
    }
    const type = m.subject.split('.').slice(2).join('.');
    const record = async (trx: Knex.Transaction) => {
      await trx('outbox_state')
        .insert({ checkpoint: this.o.checkpoint, target: this.stateKey, acked_seq: seq, dropped: 0, updated_at: new Date().toISOString() })
        .onConflict(['checkpoint', 'target'])
        .merge();
    };
    const handler = this.o.handlers[type];
    try {
      if (!handler) throw new Error(`no handler for downlink type '${type}' (known: ${Object.keys(this.o.handlers).join(', ')})`);
      await handler(JSON.parse(new TextDecoder().decode(m.data)), record);
      this.appliedCount++;
    } catch (err) {
      // Refused for good: recorded as done so it never blocks what follows; the reason is in the log.
      await this.o.db.knex.transaction(record);
      this.refusedCount++;
      this.o.logger.warn({ stream: this.stream, seq, type, err: (err as Error).message.slice(0, 500) }, 'downlink message refused');
    }
    this.applied = seq;
    m.ack();
  }
}
