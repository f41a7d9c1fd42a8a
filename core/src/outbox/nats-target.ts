import { connect, headers, nanos, DiscardPolicy, RetentionPolicy, StorageType, type JetStreamClient, type JetStreamManager, type NatsConnection } from 'nats';
import type { FeedRecord } from '../storage/records.js';
import type { Logger } from '../util/logger.js';
import type { BrokerTarget } from './broker-target.js';
import type { NatsTargetConfig } from './outbox-config.js';

/** Header carrying the hub's feed sequence on every message, so a restarted hub can ask the stream where it stopped. */
export const FEED_SEQ_HEADER = 'Customs-Feed-Seq';

/** `customs.<checkpoint>.<event type>`: dots in a checkpoint id would split the subject, so they become `_`. */
export function subjectFor(prefix: string, checkpoint: string, type: string): string {
  return `${prefix}.${checkpoint.replace(/[.*> ]/g, '_')}.${type}`;
}

/**
 * Delivery to a NATS JetStream stream of this checkpoint. Each message has `Nats-Msg-Id` = event id (the
 * stream drops a retried copy) and expects the stream's last sequence to be the one before it: if a
 * message was lost on the wire, every later one is refused instead of being stored out of order, and the
 * outbox resyncs from what the stream really holds. So the stream holds each event once, in feed order.
 */
export class NatsJetStreamTarget implements BrokerTarget {
  readonly name = 'nats';
  private nc: NatsConnection | null = null;
  private js: JetStreamClient | null = null;
  private jsm: JetStreamManager | null = null;
  private expectedStreamSeq = 0;
  private readonly encoder = new TextEncoder();

  constructor(private readonly config: NatsTargetConfig, private readonly checkpoint: string, private readonly ackTimeoutMs: number, private readonly logger: Logger) {}

  get streamSubjects(): string { return `${subjectFor(this.config.subjectPrefix, this.checkpoint, '')}>`; }

  async resync(): Promise<{ lastFeedSeq: number | null }> {
    const jsm = await this.manager();
    let info;
    try {
      info = await jsm.streams.info(this.config.stream);
    } catch (err) {
      if (!/stream not found/i.test((err as Error).message)) throw err;
      info = await jsm.streams.add({
        name: this.config.stream, subjects: [this.streamSubjects], storage: StorageType.File, retention: RetentionPolicy.Limits,
        discard: DiscardPolicy.Old, duplicate_window: nanos(this.config.duplicateWindowMs),
      });
      this.logger.info({ stream: this.config.stream, subjects: this.streamSubjects }, 'JetStream stream created');
    }
    this.expectedStreamSeq = info.state.last_seq;
    if (info.state.messages === 0) return { lastFeedSeq: null };
    try {
      const last = await jsm.streams.getMessage(this.config.stream, { seq: info.state.last_seq });
      const seq = Number(last.header.get(FEED_SEQ_HEADER));
      return { lastFeedSeq: Number.isSafeInteger(seq) && seq > 0 ? seq : null };
    } catch {
      return { lastFeedSeq: null };
    }
  }

  async publish(record: FeedRecord, cloudEventJson: string): Promise<void> {
    if (!this.js) throw new Error('not connected to NATS');
    const expected = this.expectedStreamSeq++;
    const h = headers();
    h.set(FEED_SEQ_HEADER, String(record.seq));
    h.set('Content-Type', 'application/cloudevents+json');
    const ack = await this.js.publish(subjectFor(this.config.subjectPrefix, this.checkpoint, record.type), this.encoder.encode(cloudEventJson), {
      msgID: record.id, headers: h, timeout: this.ackTimeoutMs, expect: { streamName: this.config.stream, lastSequence: expected },
    });
    // A duplicate does not advance the stream, so later expectations fail and the outbox resyncs: never stored twice.
    if (ack.duplicate) throw new Error(`event ${record.id} (seq ${record.seq}) was already in stream ${this.config.stream}`);
  }

  async close(): Promise<void> {
    const nc = this.nc;
    this.nc = null; this.js = null; this.jsm = null;
    if (nc && !nc.isClosed()) await nc.close().catch(() => undefined);
  }

  /** Connects once; afterwards the client reconnects by itself and buffers while disconnected. */
  private async manager(): Promise<JetStreamManager> {
    if (this.nc?.isClosed()) await this.close();
    if (!this.nc) {
      const nc = await connect({
        servers: this.config.servers, name: `customs-hub ${this.checkpoint}`, reconnect: true, maxReconnectAttempts: -1,
        reconnectTimeWait: 250, reconnectJitter: 100, pingInterval: 5000, maxPingOut: 2, timeout: 5000,
        ...(this.config.token ? { token: this.config.token } : {}), ...(this.config.user ? { user: this.config.user, pass: this.config.pass } : {}),
      });
      this.nc = nc;
      this.js = nc.jetstream({ timeout: this.ackTimeoutMs });
      this.jsm = await nc.jetstreamManager({ timeout: this.ackTimeoutMs });
      void (async () => { for await (const s of nc.status()) if (['disconnect', 'reconnect', 'error'].includes(s.type)) this.logger.info({ broker: 'nats', event: s.type }, 'broker connection'); })().catch(() => undefined);
    }
    return this.jsm!;
  }
}
