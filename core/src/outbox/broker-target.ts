import type { FeedRecord } from '../storage/records.js';

/**
 * Where the outbox delivers the feed (NATS JetStream; MQTT could be another). A target keeps delivery
 * gap-free and duplicate-free on its side; the outbox keeps order, the window and the cursor.
 */
export interface BrokerTarget {
  readonly name: string;
  /** Connects (if needed) and tells the last feed sequence the broker already holds, if it knows. */
  resync(): Promise<{ lastFeedSeq: number | null }>;
  /** Resolves when the broker acknowledged the record (stored), rejects otherwise. Calls may be pipelined. */
  publish(record: FeedRecord, cloudEventJson: string): Promise<void>;
  close(): Promise<void>;
}
