import type { FeedRecord } from '../storage/records.js';

/** A feed record as a CloudEvents 1.0 JSON event (parsed form, for clients and tests). */
export interface CloudEvent<T = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  /** The CloudEvents sequence extension: the feed sequence, zero-padded so it also orders as a string. */
  sequence: string;
  /** The same sequence as a number, for convenience. */
  seq: number;
  data: T;
}

export function checkpointSource(checkpoint: string): string {
  return `/checkpoints/${checkpoint}`;
}

export function sequenceString(seq: number): string {
  return String(seq).padStart(16, '0');
}

/**
 * The event as JSON text. The data is spliced in exactly as stored (never parsed and re-serialized), so
 * the central system gets every byte the hub recorded, and serializing a large backlog stays cheap.
 */
export function toCloudEventJson(record: FeedRecord, checkpoint: string): string {
  const head = JSON.stringify({
    specversion: '1.0',
    id: record.id,
    source: checkpointSource(checkpoint),
    type: record.type,
    subject: record.subject,
    time: record.time,
    datacontenttype: 'application/json',
    sequence: sequenceString(record.seq),
    seq: record.seq,
  });
  return `${head.slice(0, -1)},"data":${record.json}}`;
}
