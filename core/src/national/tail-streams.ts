import { DeliverPolicy, type ConsumerMessages, type NatsConnection } from 'nats';
import { pullBatch } from './pull-budget.js';

export interface TailStreamsOptions {
  /** A stream name, or a prefix ending in `*` (`NATIONAL_*`: every checkpoint's national stream). */
  pattern: string;
  /** Only events stored at or after this time (all when absent). */
  since?: Date;
  follow: boolean;
  /** How often, while following, to look for streams added since (a new checkpoint). */
  rescanMs?: number;
  print(json: string, stream: string): void;
  /** A problem that does not stop the tail (a failed rescan). */
  warn(message: string): void;
}

const matches = (pattern: string, name: string) => (pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern);

/**
 * Reads several streams at once, as the central system reads the national picture: an ordered consumer on
 * each (order is per checkpoint; across checkpoints events interleave as they arrive). Without `follow`, it
 * prints what each stream holds now and returns; with it, it keeps reading and picks up streams added later.
 */
export async function tailStreams(nc: NatsConnection, o: TailStreamsOptions): Promise<string[]> {
  const jsm = await nc.jetstreamManager();
  const js = nc.jetstream();
  const following = new Map<string, ConsumerMessages>();
  const loops: Array<Promise<void>> = [];
  const start = o.since ? { deliver_policy: DeliverPolicy.StartTime, opt_start_time: o.since.toISOString() } : {};

  const scan = async (): Promise<string[]> => {
    const found: string[] = [];
    for await (const s of jsm.streams.list()) if (matches(o.pattern, s.config.name) && !following.has(s.config.name)) found.push(s.config.name);
    return found.sort();
  };

  const drain = async (stream: string): Promise<void> => {
    const info = await jsm.streams.info(stream);
    if (info.state.messages === 0) return;
    const consumer = await js.consumers.get(stream, start);
    const last = info.state.last_seq;
    for (;;) {
      const batch = await consumer.fetch({ max_messages: pullBatch(1), expires: 3000 });
      let got = 0;
      let done = false;
      for await (const m of batch) {
        got++;
        o.print(m.string(), stream);
        if (m.seq >= last) done = true;
      }
      if (done || got === 0) return;
    }
  };

  /** `sharing`: how many streams this connection follows once this one is added; its pull is that share of the budget. */
  const follow = async (stream: string, sharing: number): Promise<void> => {
    const consumer = await js.consumers.get(stream, start);
    const messages = await consumer.consume({ max_messages: pullBatch(sharing) });
    following.set(stream, messages);
    loops.push(
      (async () => {
        for await (const m of messages) o.print(m.string(), stream);
      })(),
    );
  };

  const first = await scan();
  if (first.length === 0) throw new Error(`no stream matches '${o.pattern}'`);
  if (!o.follow) {
    for (const s of first) await drain(s);
    return first;
  }
  for (const s of first) await follow(s, first.length);
  const timer = setInterval(() => {
    void scan()
      .then(async (added) => {
        const sharing = following.size + added.length;
        for (const s of added) await follow(s, sharing);
      })
      .catch((err: Error) => o.warn(`looking for new streams failed: ${err.message}`));
  }, o.rescanMs ?? 10_000);
  try {
    await nc.closed();
  } finally {
    clearInterval(timer);
    for (const m of following.values()) m.stop();
    await Promise.allSettled(loops);
  }
  return [...following.keys()];
}
