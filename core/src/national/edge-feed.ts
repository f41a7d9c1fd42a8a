import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Observation } from '@customs-hub/sdk';
import { feedSource } from '../outbox/index.js';
import type { OutboxConfig } from '../outbox/outbox-config.js';
import { OutboxStateStore } from '../outbox/outbox-state.js';
import { Outbox } from '../outbox/outbox.js';
import { NatsJetStreamTarget } from '../outbox/nats-target.js';
import { openDatabase, type Database } from '../storage/database.js';
import { FeedReader } from '../storage/feed-reader.js';
import { GroupCommitWriter } from '../storage/group-commit-writer.js';
import { createLogger, type Logger } from '../util/logger.js';
import { defaultStreamName } from '../outbox/outbox-config.js';

const silent = createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));

/** A small telemetry observation of a checkpoint, as a real device would feed it. */
export function syntheticObservation(checkpoint: string, n: number, at = new Date()): Observation {
  const iso = at.toISOString();
  return {
    schema: 'observation/v1',
    id: `${checkpoint}-${n}-${at.getTime()}`,
    seq: 0,
    checkpoint,
    lane: 'L1',
    deviceId: 'gauge-1',
    plugin: { name: 'virtual', version: '1.0.0' },
    kind: 'telemetry',
    deviceTime: iso,
    receivedAt: iso,
    conveyance: { containers: [], plates: [] },
    alarms: [],
    quality: { status: 'good' },
    payload: { metrics: { n } },
  } as unknown as Observation;
}

/**
 * One checkpoint hub's feed and its NATS outbox, as the hub runs them: a SQLite store with the group-commit
 * writer, and delivery to the checkpoint's leaf node. It can be stopped and started again like a hub restart.
 */
export class EdgeFeed {
  db!: Database;
  writer!: GroupCommitWriter;
  outbox: Outbox | null = null;
  private written = 0;

  constructor(
    readonly checkpoint: string,
    private readonly dir: string,
    private readonly natsUrl: string,
    private readonly options: { duplicateWindowMs?: number; logger?: Logger } = {},
  ) {}

  private get logger(): Logger {
    return this.options.logger ?? silent;
  }

  get stream(): string {
    return defaultStreamName(this.checkpoint);
  }

  config(): OutboxConfig {
    return {
      nats: { servers: [this.natsUrl], stream: this.stream, subjectPrefix: 'customs', duplicateWindowMs: this.options.duplicateWindowMs ?? 120_000 },
      mqtt: null,
      maxInFlight: 2048,
      ackEvery: 64,
      batchSize: 2000,
      ackTimeoutMs: 5000,
      backoff: { initialMs: 100, maxMs: 1000 },
      buffer: { maxEvents: 10_000_000, maxAgeMs: 7 * 86_400_000, alarmAt: 0.8, whenFull: 'stop-accepting' },
      checkIntervalMs: 200,
    };
  }

  async open(): Promise<this> {
    this.db = await openDatabase(`sqlite:${join(this.dir, `${this.stream}.db`)}`);
    this.writer = new GroupCommitWriter(this.db, this.checkpoint, { maxRows: 1000, maxDelayMs: 2, queueLimit: 1_000_000 });
    await this.writer.init();
    return this;
  }

  /** Writes n observations to the feed; resolves when they are committed (acknowledged to the "device"). */
  async produce(n: number): Promise<void> {
    const writes: Array<Promise<unknown>> = [];
    for (let i = 0; i < n; i++) writes.push(this.writer.write({ type: 'observation', observation: syntheticObservation(this.checkpoint, ++this.written) }));
    await Promise.all(writes);
  }

  /** Creates the edge stream now (delivery would create it with its first message), so the centre's mirror can attach early. */
  async createStream(): Promise<void> {
    const target = this.target();
    try {
      await target.resync();
    } finally {
      await target.close();
    }
  }

  private target(): NatsJetStreamTarget {
    const config = this.config();
    return new NatsJetStreamTarget(config.nats!, this.checkpoint, config.ackTimeoutMs, this.logger);
  }

  async startDelivery(): Promise<void> {
    const config = this.config();
    const target = this.target();
    this.outbox = new Outbox(
      feedSource(new FeedReader(this.db, this.checkpoint), this.writer),
      target,
      new OutboxStateStore(this.db, this.checkpoint, target.name),
      config,
      this.checkpoint,
      this.logger,
    );
    await this.outbox.start();
  }

  async stopDelivery(): Promise<void> {
    await this.outbox?.stop();
    this.outbox = null;
  }

  /** The last feed sequence the store has committed. */
  get lastSeq(): number {
    return this.writer.sequence;
  }

  async close(): Promise<void> {
    await this.stopDelivery();
    await this.writer.close();
    await this.db.close();
  }
}
