/**
 * Messages a reader of many streams on one connection may have outstanding, all streams together. A NATS server
 * closes a client whose undelivered data passes its `max_pending` (64 MB by default) as a slow consumer, and what
 * was in flight is gone: 20 streams pulling 5,000 events of ~1.2 KB each passed it, and an ordered consumer
 * whose lost messages were a stream's last ones waited for the next event to notice. 20,000 typical events are
 * about 24 MB.
 */
export const CONNECTION_PULL_MESSAGES = 20_000;

/** The batch one stream's pull asks for when `streams` share a connection: at least 20, at most 1,000. */
export function pullBatch(streams: number): number {
  return Math.max(20, Math.min(1000, Math.floor(CONNECTION_PULL_MESSAGES / Math.max(1, streams))));
}
