import {
  connect,
  createInbox,
  headers,
  nanos,
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type Msg,
  type NatsConnection,
  type NatsError,
} from 'nats';
import type { FeedRecord } from '../storage/records.js';
import type { Logger } from '../util/logger.js';
import type { BrokerTarget } from './broker-target.js';
import type { NatsTargetConfig } from './outbox-config.js';
import type { SwallowedErrors } from '../util/swallowed-errors.js';

/** Header carrying the hub's feed sequence on every message, so a restarted hub can ask the stream where it stopped. */
export const FEED_SEQ_HEADER = 'Customs-Feed-Seq';

/** `customs.<checkpoint>.<event type>`: dots in a checkpoint id would split the subject, so they become `_`. */
export function subjectFor(prefix: string, checkpoint: string, type: string): string {
  return `${prefix}.${checkpoint.replace(/[.*> ]/g, '_')}.${type}`;
}

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

/**
 * Delivery to a NATS JetStream stream of this checkpoint. Each message has `Nats-Msg-Id` = event id (the
 * stream drops a retried copy) and `Nats-Expected-Last-Sequence` = the stream sequence before it: if one
 * message is lost on the wire, every later one is refused instead of being stored out of order, and the
 * outbox resyncs from what the stream really holds. So the stream holds each event once, in feed order.
 *
 * That chain also makes sampled acknowledgements safe: a stored message proves all before it were stored,
 * so only `confirm`ed messages ask for a PubAck (on one shared inbox, not a request each), which is what
 * lets a week's backlog replay at tens of thousands of events per second.
 */
export class NatsJetStreamTarget implements BrokerTarget {
  readonly name = 'nats';
  private nc: NatsConnection | null = null;
  private jsm: JetStreamManager | null = null;
  private inbox = '';
  private expectedStreamSeq = 0;
  /** Sent, not yet settled, in send order; `token` is set on the ones that asked for an acknowledgement. */
  private unsettled: Array<Waiter & { token: string | null; timer: NodeJS.Timeout | null }> = [];
  private nextToken = 0;
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly config: NatsTargetConfig,
    private readonly checkpoint: string,
    private readonly ackTimeoutMs: number,
    private readonly logger: Logger,
    private readonly errors?: SwallowedErrors,
  ) {}

  get streamSubjects(): string {
    return `${subjectFor(this.config.subjectPrefix, this.checkpoint, '')}>`;
  }

  async resync(): Promise<{ lastFeedSeq: number | null }> {
    this.failAll(new Error('resync'));
    const jsm = await this.manager();
    let info;
    try {
      info = await jsm.streams.info(this.config.stream);
    } catch (err) {
      if (!/stream not found/i.test((err as Error).message)) throw err;
      info = await jsm.streams.add({
        name: this.config.stream,
        subjects: [this.streamSubjects],
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        discard: DiscardPolicy.Old,
        duplicate_window: nanos(this.config.duplicateWindowMs),
      });
      this.logger.info({ stream: this.config.stream, subjects: this.streamSubjects }, 'JetStream stream created');
    }
    this.expectedStreamSeq = info.state.last_seq;
    if (info.state.messages === 0) return { lastFeedSeq: null };
    try {
      const last = await jsm.streams.getMessage(this.config.stream, { seq: info.state.last_seq });
      const seq = Number(last.header.get(FEED_SEQ_HEADER));
      return { lastFeedSeq: Number.isSafeInteger(seq) && seq > 0 ? seq : null };
    } catch (err) {
      // Unknown position: the outbox sends from its own cursor and JetStream drops what it holds (Nats-Msg-Id).
      this.errors?.record(
        'outbox.nats.last-message',
        err,
        { stream: this.config.stream, seq: info.state.last_seq },
        'last stream message not readable; sending from the outbox cursor',
      );
      return { lastFeedSeq: null };
    }
  }

  publish(record: FeedRecord, cloudEventJson: string, confirm: boolean): Promise<void> {
    const nc = this.nc;
    if (!nc || nc.isClosed()) return Promise.reject(new Error('not connected to NATS'));
    const h = headers();
    h.set('Nats-Msg-Id', record.id);
    h.set('Nats-Expected-Stream', this.config.stream);
    h.set('Nats-Expected-Last-Sequence', String(this.expectedStreamSeq++));
    h.set(FEED_SEQ_HEADER, String(record.seq));
    h.set('Content-Type', 'application/cloudevents+json');
    const subject = subjectFor(this.config.subjectPrefix, this.checkpoint, record.type);
    return new Promise<void>((resolve, reject) => {
      const token = confirm ? String(++this.nextToken) : null;
      const timer = token
        ? setTimeout(() => this.settle(token, new Error(`no acknowledgement for feed seq ${record.seq} within ${this.ackTimeoutMs} ms`)), this.ackTimeoutMs)
        : null;
      this.unsettled.push({ resolve, reject, token, timer });
      try {
        nc.publish(subject, this.encoder.encode(cloudEventJson), token ? { headers: h, reply: `${this.inbox}.${token}` } : { headers: h });
      } catch (err) {
        this.failAll(err as Error);
      }
    });
  }

  async close(): Promise<void> {
    this.failAll(new Error('target closed'));
    const nc = this.nc;
    this.nc = null;
    this.jsm = null;
    if (nc && !nc.isClosed())
      await nc
        .close()
        .catch(this.errors?.ignore('outbox.nats.close', { stream: this.config.stream }, 'closing the NATS connection failed') ?? (() => undefined));
  }

  /** A PubAck (or error) for a confirmed message settles it and every unconfirmed one sent before it. */
  private onAck(m: Msg): void {
    const token = m.subject.slice(this.inbox.length + 1);
    let err: Error | null = null;
    if (m.headers?.code === 503 || m.data.length === 0) err = new Error('JetStream did not answer (no responders): is JetStream enabled and the stream there?');
    else {
      try {
        const ack = JSON.parse(this.decoder.decode(m.data)) as { error?: { description?: string }; duplicate?: boolean; seq?: number };
        if (ack.error) err = new Error(`JetStream refused: ${ack.error.description ?? 'unknown error'}`);
        // A duplicate does not advance the stream; what follows would be refused, so resync now.
        else if (ack.duplicate) err = new Error(`stream ${this.config.stream} already held a message (seq ${ack.seq}); resyncing`);
      } catch {
        err = new Error('unreadable PubAck');
      }
    }
    this.settle(token, err);
  }

  private settle(token: string, err: Error | null): void {
    const i = this.unsettled.findIndex((w) => w.token === token);
    if (i < 0) return;
    const done = this.unsettled.splice(0, i + 1);
    for (const w of done) {
      if (w.timer) clearTimeout(w.timer);
      if (err) w.reject(err);
      else w.resolve();
    }
    // After a failure nothing sent later can be stored (the chain is broken): fail it now rather than wait.
    if (err) this.failAll(err);
  }

  private failAll(err: Error): void {
    const all = this.unsettled;
    this.unsettled = [];
    for (const w of all) {
      if (w.timer) clearTimeout(w.timer);
      w.reject(err);
    }
  }

  /** Connects once; afterwards the client reconnects by itself. */
  private async manager(): Promise<JetStreamManager> {
    if (this.nc?.isClosed()) await this.close();
    if (!this.nc) {
      const nc = await connect({
        servers: this.config.servers,
        name: `customs-hub ${this.checkpoint}`,
        reconnect: true,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
        reconnectJitter: 100,
        pingInterval: 5000,
        maxPingOut: 2,
        timeout: 5000,
        ...(this.config.token ? { token: this.config.token } : {}),
        ...(this.config.user ? { user: this.config.user, pass: this.config.pass } : {}),
      });
      this.nc = nc;
      this.inbox = createInbox();
      nc.subscribe(`${this.inbox}.*`, {
        callback: (err: NatsError | null, m: Msg) => {
          if (!err) this.onAck(m);
        },
      });
      this.jsm = await nc.jetstreamManager({ timeout: this.ackTimeoutMs });
      void (async () => {
        for await (const s of nc.status())
          if (['disconnect', 'reconnect', 'error'].includes(s.type)) this.logger.info({ broker: 'nats', event: s.type }, 'broker connection');
      })().catch(
        this.errors?.ignore('outbox.nats.status', { stream: this.config.stream }, 'NATS connection status stream ended with an error') ?? (() => undefined),
      );
    }
    return this.jsm!;
  }
}
