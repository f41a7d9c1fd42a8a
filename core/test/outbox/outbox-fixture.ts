import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { NatsJetStreamTarget } from '../../src/outbox/nats-target.js';
import { feedSource } from '../../src/outbox/index.js';
import type { OutboxConfig } from '../../src/outbox/outbox-config.js';
import { OutboxStateStore } from '../../src/outbox/outbox-state.js';
import { Outbox } from '../../src/outbox/outbox.js';
import type { BrokerTarget } from '../../src/outbox/broker-target.js';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { FeedReader } from '../../src/storage/feed-reader.js';
import { GroupCommitWriter } from '../../src/storage/group-commit-writer.js';
import { createLogger, type Logger } from '../../src/util/logger.js';

export const quietLogger: Logger = createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));

export function outboxTestConfig(over: Partial<OutboxConfig> = {}, natsUrl?: string, stream?: string): OutboxConfig {
  return {
    // Each test stream gets its own subject prefix: JetStream refuses two streams over the same subjects.
    nats: natsUrl ? { servers: [natsUrl], stream: stream!, subjectPrefix: stream!.toLowerCase(), duplicateWindowMs: 120_000 } : null,
    mqtt: null,
    maxInFlight: 256,
    ackEvery: 16,
    batchSize: 500,
    ackTimeoutMs: 1000,
    backoff: { initialMs: 50, maxMs: 500 },
    buffer: { maxEvents: 1_000_000, maxAgeMs: 3_600_000, alarmAt: 0.8, whenFull: 'stop-accepting' },
    checkIntervalMs: 100,
    ...over,
  };
}

/** A hub's storage (SQLite in a temp dir) that can be closed and reopened, like a hub restart. */
export class HubStorage {
  readonly dir = mkdtempSync(join(tmpdir(), 'hub-outbox-'));
  db!: Database;
  writer!: GroupCommitWriter;
  reader!: FeedReader;

  async open(): Promise<this> {
    this.db = await openDatabase(`sqlite:${join(this.dir, 'hub.db')}`);
    this.writer = new GroupCommitWriter(this.db, 'CP1', { maxRows: 1000, maxDelayMs: 0, queueLimit: 1_000_000 });
    await this.writer.init();
    this.reader = new FeedReader(this.db, 'CP1');
    return this;
  }

  outbox(target: BrokerTarget, config: OutboxConfig, logger = quietLogger, now = Date.now): Outbox {
    return new Outbox(feedSource(this.reader, this.writer), target, new OutboxStateStore(this.db, 'CP1', target.name), config, 'CP1', logger, now);
  }

  natsOutbox(config: OutboxConfig): { outbox: Outbox; target: NatsJetStreamTarget } {
    const target = new NatsJetStreamTarget(config.nats!, 'CP1', config.ackTimeoutMs, quietLogger);
    return { outbox: this.outbox(target, config), target };
  }

  async close(): Promise<void> {
    await this.writer.close();
    await this.db.close();
  }
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
