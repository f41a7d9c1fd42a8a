import { connect, type NatsConnection } from 'nats';
import { FEED_SEQ_HEADER } from '../../src/outbox/nats-target.js';

/** The NATS server these tests run against, or a skip with the reason printed. */
export function natsUrl(ctx: Mocha.Context): string {
  const url = process.env.HUB_TEST_NATS_URL;
  if (!url) {
    process.stdout.write('  (NATS JetStream tests skipped: HUB_TEST_NATS_URL is not set)\n');
    ctx.skip();
  }
  return url;
}

export interface StoredEvent {
  streamSeq: number;
  feedSeq: number;
  id: string;
  subject: string;
  msgId: string;
  body: string;
}

/** Every message of a stream, in stream order, read directly by sequence (a test consumer that misses nothing). */
export async function readStream(nc: NatsConnection, stream: string): Promise<StoredEvent[]> {
  const jsm = await nc.jetstreamManager();
  const info = await jsm.streams.info(stream);
  const out: StoredEvent[] = [];
  const consumer = await nc.jetstream().consumers.get(stream);
  let left = info.state.messages;
  while (left > 0) {
    const batch = await consumer.fetch({ max_messages: Math.min(left, 5000), expires: 5000 });
    let got = 0;
    for await (const m of batch) {
      got++;
      const body = m.string();
      out.push({
        streamSeq: m.seq,
        feedSeq: Number(m.headers?.get(FEED_SEQ_HEADER)),
        id: JSON.parse(body).id,
        subject: m.subject,
        msgId: m.headers?.get('Nats-Msg-Id') ?? '',
        body,
      });
    }
    if (got === 0) throw new Error(`stream ${stream}: fetched nothing with ${left} messages left`);
    left -= got;
  }
  return out;
}

export async function deleteStream(url: string, stream: string): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    await (await nc.jetstreamManager()).streams.delete(stream);
  } catch {
    /* absent */
  } finally {
    await nc.close();
  }
}

export function uniqueStream(prefix: string): string {
  return `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}
