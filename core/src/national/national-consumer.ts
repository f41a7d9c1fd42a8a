import knexFactory, { type Knex } from 'knex';
import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JsMsg, type NatsConnection } from 'nats';
import { FEED_SEQ_HEADER } from '../outbox/nats-target.js';
import { listNationalStreams } from './national-stream.js';
import { pullBatch } from './pull-budget.js';

const TABLE = 'national_events';
const DURABLE = 'national-pg';
/**
 * A consumer stopped mid-stream leaves messages in its buffer and a pull request the server still fills until it
 * expires: both come back only after the ack wait. Short values bound how long a restarted consumer waits for them.
 */
const ACK_WAIT_NS = 10_000_000_000;
const PULL_EXPIRES_MS = 5_000;

/**
 * The central system's reference integration: every national stream into one PostgreSQL table, keyed by
 * (checkpoint, feed sequence). Inserts are idempotent and a message is acknowledged only after its row is
 * committed, so a consumer killed at any moment and started again leaves each event in the table exactly once.
 */
export class NationalConsumer {
  private readonly knex: Knex;
  private readonly subs: ConsumerMessages[] = [];
  private readonly loops: Array<Promise<void>> = [];
  written = 0;

  constructor(
    private readonly nc: NatsConnection,
    pgUrl: string,
  ) {
    this.knex = knexFactory({ client: 'pg', connection: pgUrl, pool: { min: 0, max: 4 } });
  }

  async migrate(): Promise<void> {
    if (await this.knex.schema.hasTable(TABLE)) return;
    await this.knex.schema.createTable(TABLE, (t) => {
      t.string('checkpoint', 64).notNullable();
      t.bigInteger('seq').notNullable();
      t.string('type', 200).notNullable();
      t.string('id', 64).notNullable();
      t.string('time', 40).notNullable();
      t.jsonb('event').notNullable();
      t.primary(['checkpoint', 'seq']);
    });
  }

  /** Follows every NATIONAL_* stream there is now; call again to pick up checkpoints added since. */
  async start(): Promise<string[]> {
    await this.migrate();
    const jsm = await this.nc.jetstreamManager();
    const streams = await listNationalStreams(jsm);
    for (const stream of streams) {
      await jsm.consumers
        .add(stream, { durable_name: DURABLE, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, max_ack_pending: 2000, ack_wait: ACK_WAIT_NS })
        .catch((err: Error) => {
          if (!/already in use|exists/i.test(err.message)) throw err;
        });
      const messages = await (
        await this.nc.jetstream().consumers.get(stream, DURABLE)
      ).consume({ max_messages: pullBatch(streams.length), expires: PULL_EXPIRES_MS });
      this.subs.push(messages);
      this.loops.push(this.follow(messages));
    }
    return streams;
  }

  async stop(): Promise<void> {
    for (const s of this.subs) s.stop();
    await Promise.allSettled(this.loops);
    await this.knex.destroy();
  }

  private async follow(messages: ConsumerMessages): Promise<void> {
    let batch: JsMsg[] = [];
    const flush = async () => {
      const rows = batch.map((m) => {
        const event = JSON.parse(new TextDecoder().decode(m.data)) as { id: string; type: string; time: string };
        return {
          checkpoint: m.subject.split('.')[1] ?? '',
          seq: Number(m.headers?.get(FEED_SEQ_HEADER)),
          type: event.type,
          id: event.id,
          time: event.time,
          event,
        };
      });
      await this.knex(TABLE).insert(rows).onConflict(['checkpoint', 'seq']).ignore();
      for (const m of batch) m.ack();
      this.written += rows.length;
      batch = [];
    };
    for await (const m of messages) {
      batch.push(m);
      if (batch.length >= 500 || messages.getPending() === 0) await flush();
    }
    if (batch.length > 0) await flush();
  }
}
