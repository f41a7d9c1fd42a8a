import { AckPolicy, DeliverPolicy, type JetStreamClient, type JetStreamManager } from 'nats';
import { FEED_SEQ_HEADER } from '../outbox/nats-target.js';

export interface FeedComparison {
  checkpoint: string;
  expected: number;
  received: number;
  lost: number;
  duplicates: number;
  outOfOrder: number;
}

/** Reads a stream whole and counts, per checkpoint, the feed sequences it holds (from the subject and header). */
export async function readFeedSeqs(
  js: JetStreamClient,
  jsm: JetStreamManager,
  stream: string,
  onMessage?: (checkpoint: string, seq: number, arrivedAt: number) => void,
): Promise<Map<string, number[]>> {
  const info = await jsm.streams.info(stream);
  const out = new Map<string, number[]>();
  if (info.state.messages === 0) return out;
  const name = `audit_${process.pid}_${Date.now()}`;
  await jsm.consumers.add(stream, { name, ack_policy: AckPolicy.None, deliver_policy: DeliverPolicy.All, inactive_threshold: 60_000_000_000 });
  try {
    const consumer = await js.consumers.get(stream, name);
    let read = 0;
    while (read < info.state.messages) {
      const batch = await consumer.fetch({ max_messages: 10_000, expires: 3000 });
      let got = 0;
      for await (const m of batch) {
        got++;
        read++;
        const checkpoint = m.subject.split('.')[1] ?? '';
        const seq = Number(m.headers?.get(FEED_SEQ_HEADER));
        const list = out.get(checkpoint) ?? [];
        list.push(seq);
        out.set(checkpoint, list);
        onMessage?.(checkpoint, seq, Date.now());
      }
      if (got === 0) break;
    }
  } finally {
    await jsm.consumers.delete(stream, name).catch(() => undefined);
  }
  return out;
}

/** Compares what a stream holds of a checkpoint with the feed 1..expected the checkpoint committed. */
export function compareFeed(checkpoint: string, expected: number, seqs: number[]): FeedComparison {
  const seen = new Uint8Array(expected + 1);
  let duplicates = 0;
  let outOfOrder = 0;
  let last = 0;
  let received = 0;
  for (const s of seqs) {
    if (s <= last) outOfOrder++;
    last = s;
    if (!(s >= 1 && s <= expected)) {
      duplicates++;
      continue;
    }
    if (seen[s]) duplicates++;
    else {
      seen[s] = 1;
      received++;
    }
  }
  return { checkpoint, expected, received, lost: expected - received, duplicates, outOfOrder };
}
