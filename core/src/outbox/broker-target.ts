import type { FeedRecord } from '../storage/records.js';

/**
 * Where the outbox delivers the feed (NATS JetStream; MQTT could be another). A target keeps delivery
 * gap-free and duplicate-free on its side; the outbox keeps order, the window and the cursor.
 */
export interface BrokerTarget {
  readonly name: string;
  /** Connects (if needed) and tells the last feed sequence the broker already holds, if it knows. */
  resync(): Promise<{ lastFeedSeq: number | null }>;
  /**
   * Resolves when the broker acknowledged the record (stored), rejects otherwise. Calls are pipelined.
   * With `confirm` false the target may skip asking for this record's own acknowledgement: its promise then
   * settles with the next confirmed record's, which a target may only do when that acknowledgement proves
   * every record before it was stored (JetStream's expected-last-sequence chain does).
   */
  publish(record: FeedRecord, cloudEventJson: string, confirm: boolean): Promise<void>;
  close(): Promise<void>;
}
