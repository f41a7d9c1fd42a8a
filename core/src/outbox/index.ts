import type { Database } from '../storage/database.js';
import type { FeedReader } from '../storage/feed-reader.js';
import type { GroupCommitWriter } from '../storage/group-commit-writer.js';
import type { Logger } from '../util/logger.js';
import { guardWriter } from './admission.js';
import type { BrokerTarget } from './broker-target.js';
import { MqttTarget } from './mqtt-target.js';
import { NatsJetStreamTarget } from './nats-target.js';
import type { OutboxConfig } from './outbox-config.js';
import { OutboxStateStore } from './outbox-state.js';
import { Outbox, type FeedSource } from './outbox.js';
import type { SwallowedErrors } from '../util/swallowed-errors.js';

export { Outbox, type FeedSource, type OutboxStatus } from './outbox.js';
export { outboxSection, type OutboxConfig } from './outbox-config.js';
export { NatsJetStreamTarget, FEED_SEQ_HEADER, subjectFor } from './nats-target.js';
export { MqttTarget, mqttTopicFor } from './mqtt-target.js';
export type { BrokerTarget } from './broker-target.js';
export { OutboxStateStore } from './outbox-state.js';
export { OutboxFullError } from './admission.js';

/** The feed as the outbox reads it: the database by sequence, woken by the writer's commits. */
export function feedSource(reader: FeedReader, writer: GroupCommitWriter): FeedSource {
  return { read: (after, limit) => reader.read(after, limit), head: () => writer.sequence, onCommitted: (l) => writer.onCommitted(() => l()) };
}

/** Starts broker delivery for each broker in the config (`outbox.nats`, `outbox.mqtt`); null when there is none. */
export async function startOutbox(
  oc: OutboxConfig,
  cp: string,
  deps: { db: Database; reader: FeedReader; writer: GroupCommitWriter; logger: Logger; errors?: SwallowedErrors },
): Promise<{ outbox: Outbox; outboxes: Outbox[]; stop(): Promise<void> } | null> {
  const logger = deps.logger.child({ component: 'outbox' });
  const targets: BrokerTarget[] = [];
  if (oc.nats) targets.push(new NatsJetStreamTarget(oc.nats, cp, oc.ackTimeoutMs, logger, deps.errors));
  if (oc.mqtt) targets.push(new MqttTarget(oc.mqtt, cp, oc.ackTimeoutMs, logger, deps.errors));
  if (targets.length === 0) return null;
  // Each target has its own cursor; the buffer limits apply to each, and any full one stops acceptance.
  const outboxes = targets.map(
    (t) => new Outbox(feedSource(deps.reader, deps.writer), t, new OutboxStateStore(deps.db, cp, t.name), oc, cp, logger.child({ target: t.name })),
  );
  const unguard = guardWriter(deps.writer, () => outboxes.every((o) => o.accepting()));
  for (const o of outboxes) await o.start();
  return {
    outbox: outboxes[0]!,
    outboxes,
    stop: async () => {
      unguard();
      await Promise.all(outboxes.map((o) => o.stop()));
    },
  };
}
