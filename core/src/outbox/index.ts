import type { HubConfig } from '../config/types.js';
import type { Database } from '../storage/database.js';
import type { FeedReader } from '../storage/feed-reader.js';
import type { GroupCommitWriter } from '../storage/group-commit-writer.js';
import type { Logger } from '../util/logger.js';
import { guardWriter } from './admission.js';
import { NatsJetStreamTarget } from './nats-target.js';
import { outboxConfig } from './outbox-config.js';
import { OutboxStateStore } from './outbox-state.js';
import { Outbox, type FeedSource } from './outbox.js';

export { Outbox, type FeedSource, type OutboxStatus } from './outbox.js';
export { outboxConfig, outboxConfigSchema, type OutboxConfig } from './outbox-config.js';
export { NatsJetStreamTarget, FEED_SEQ_HEADER, subjectFor } from './nats-target.js';
export { OutboxStateStore } from './outbox-state.js';
export { OutboxFullError } from './admission.js';

/** The feed as the outbox reads it: the database by sequence, woken by the writer's commits. */
export function feedSource(reader: FeedReader, writer: GroupCommitWriter): FeedSource {
  return { read: (after, limit) => reader.read(after, limit), head: () => writer.sequence, onCommitted: (l) => writer.onCommitted(() => l()) };
}

/** Starts broker delivery when the config has a broker (`outbox.nats`); null otherwise. */
export async function startOutbox(config: HubConfig, deps: { db: Database; reader: FeedReader; writer: GroupCommitWriter; logger: Logger }): Promise<{ outbox: Outbox; stop(): Promise<void> } | null> {
  const oc = outboxConfig(config);
  if (!oc.nats) return null;
  const cp = config.checkpoint.id;
  const logger = deps.logger.child({ component: 'outbox' });
  const target = new NatsJetStreamTarget(oc.nats, cp, oc.ackTimeoutMs, logger);
  const outbox = new Outbox(feedSource(deps.reader, deps.writer), target, new OutboxStateStore(deps.db, cp, target.name), oc, cp, logger);
  const unguard = guardWriter(deps.writer, () => outbox.accepting());
  await outbox.start();
  return { outbox, stop: async () => { unguard(); await outbox.stop(); } };
}
