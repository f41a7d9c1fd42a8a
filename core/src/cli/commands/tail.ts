import type { Command } from 'commander';
import { connect, DeliverPolicy } from 'nats';
import { SseParser } from '../../feed/sse-parser.js';
import { backoffDelay } from '../../util/backoff.js';
import { fail } from '../fail.js';
import { startProgress, type Progress } from '../progress.js';
import { tailStreams } from '../../national/tail-streams.js';

interface TailOptions {
  url?: string;
  nats?: string;
  stream?: string;
  national?: boolean;
  since?: string;
  after: string;
  follow: boolean;
  tokenEnv: string;
}

/** Prints each event as one JSON line to stdout; progress and reconnects go to stderr. */
function print(json: string, bar?: Progress): void {
  if (bar) bar.print(json);
  else process.stdout.write(`${json}\n`);
}

/** While tail is behind the head: a bar over the events between `after` and the head (on a terminal only). */
function catchingUp(after: number, head: number): Progress | undefined {
  if (head <= after) return undefined;
  return startProgress({ format: 'catching up [{bar}] {percentage}% | {value}/{total} events | ETA {eta_formatted}', total: head - after });
}

/** HTTP: pulls from `after`, then follows the SSE stream, resuming from the last id after any break. */
async function tailHttp(base: string, token: string, after: number, follow: boolean): Promise<void> {
  const headers = { authorization: `Bearer ${token}` };
  let last = after;
  let bar: Progress | undefined;
  try {
    for (;;) {
      const res = await fetch(`${base}/api/v1/feed?after=${last}&limit=1000`, { headers });
      if (!res.ok)
        throw new Error(`GET /api/v1/feed: ${res.status} ${((await res.json().catch(() => ({}))) as { message?: string }).message ?? res.statusText}`);
      const body = (await res.json()) as { next: number; head: number; events: unknown[] };
      bar ??= catchingUp(after, body.head);
      bar?.setTotal(Math.max(body.head - after, 1));
      for (const e of body.events) print(JSON.stringify(e), bar);
      if (body.events.length === 0) break;
      last = body.next;
      bar?.update(last - after);
    }
  } finally {
    bar?.stop();
  }
  if (!follow) return;
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(`${base}/api/v1/feed/stream`, { headers: { ...headers, 'last-event-id': String(last), accept: 'text/event-stream' } });
      if (res.status === 401 || res.status === 403) throw Object.assign(new Error(`feed stream: ${res.status} (token or scope feed:read)`), { fatal: true });
      if (!res.ok || !res.body) throw new Error(`feed stream: HTTP ${res.status}`);
      attempt = 0;
      const parser = new SseParser();
      const decoder = new TextDecoder();
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        for (const m of parser.push(decoder.decode(chunk, { stream: true }))) {
          print(m.data);
          if (m.id) last = Number(m.id);
        }
      }
      throw new Error('feed stream closed by the hub');
    } catch (err) {
      if ((err as { fatal?: boolean }).fatal) throw err;
      const delay = backoffDelay(attempt + 1, 500, 15000);
      process.stderr.write(`tail: ${(err as Error).message}; resuming after seq ${last} in ${delay} ms\n`);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/** NATS: an ordered consumer on the checkpoint's stream, from a stream sequence. */
async function tailNats(servers: string, stream: string, after: number, follow: boolean): Promise<void> {
  const nc = await connect({ servers, name: 'customs-hub tail' });
  try {
    const js = nc.jetstream();
    const consumer = await js.consumers.get(stream, after > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: after + 1 } : {});
    const streamHead = async () => (await (await nc.jetstreamManager()).streams.info(stream)).state.last_seq;
    // --no-follow needs the head to know where to stop; following, it only sizes the bar.
    const head = follow ? await streamHead().catch(() => after) : await streamHead();
    let bar = catchingUp(after, head);
    try {
      if (!follow) {
        let left = head - after;
        while (left > 0) {
          const batch = await consumer.fetch({ max_messages: Math.min(left, 1000), expires: 3000 });
          let got = 0;
          for await (const m of batch) {
            print(m.string(), bar);
            bar?.update(m.seq - after);
            got++;
          }
          if (got === 0) break;
          left -= got;
        }
        return;
      }
      const messages = await consumer.consume();
      for await (const m of messages) {
        print(m.string(), bar);
        if (bar) {
          bar.update(m.seq - after);
          if (m.seq >= head) {
            bar.stop();
            bar = undefined;
          } // caught up: from here on, live
        }
      }
    } finally {
      bar?.stop();
    }
  } finally {
    await nc.close();
  }
}

/** `customs-hub tail`: the reference consumer of a hub's feed, over HTTP (pull + SSE) or NATS JetStream. */
export function registerTail(program: Command): void {
  program
    .command('tail')
    .description("print a hub's feed as JSON lines (CloudEvents), over HTTP or from its NATS JetStream stream")
    .option('--url <url>', 'the hub, e.g. https://hub.example:8080 (token from $CUSTOMS_HUB_TOKEN)')
    .option('--nats <servers>', 'NATS servers, e.g. nats://127.0.0.1:4222')
    .option('--stream <name>', 'JetStream stream (with --nats), e.g. CUSTOMS_BORDER-1')
    .option('--national', 'with --nats: every national stream of the central cluster (NATIONAL_*), interleaved; or give --stream a prefix ending in *')
    .option('--since <time>', 'with --national or a stream prefix: events stored from this ISO time')
    .option('--after <seq>', 'start after this sequence (feed sequence over HTTP, stream sequence over NATS)', '0')
    .option('--no-follow', 'print what is there and exit')
    .option('--token-env <name>', 'environment variable holding the API token', 'CUSTOMS_HUB_TOKEN')
    .action(async (opts: TailOptions) => {
      try {
        const after = Number(opts.after);
        if (!Number.isSafeInteger(after) || after < 0) throw new Error(`--after must be a sequence number, got '${opts.after}'`);
        if (opts.url) {
          const token = process.env[opts.tokenEnv];
          if (!token) throw new Error(`set the API token in $${opts.tokenEnv} (never on the command line)`);
          await tailHttp(opts.url.replace(/\/$/, ''), token, after, opts.follow);
        } else if (opts.nats && (opts.national || opts.stream?.endsWith('*'))) {
          const since = opts.since === undefined ? undefined : new Date(opts.since);
          if (since && Number.isNaN(since.getTime())) throw new Error(`--since '${opts.since}' is not an ISO time`);
          if (after > 0) throw new Error('--after is a stream sequence: give it with one --stream; use --since across streams');
          const nc = await connect({ servers: opts.nats, name: 'customs-hub tail' });
          try {
            await tailStreams(nc, {
              pattern: opts.stream ?? 'NATIONAL_*',
              follow: opts.follow,
              print: (json) => print(json),
              warn: (m) => process.stderr.write(`tail: ${m}\n`),
              ...(since ? { since } : {}),
            });
          } finally {
            if (!nc.isClosed()) await nc.close();
          }
        } else if (opts.nats) {
          if (!opts.stream) throw new Error('--nats needs --stream (or --national)');
          await tailNats(opts.nats, opts.stream, after, opts.follow);
        } else {
          throw new Error('give --url (HTTP) or --nats with --stream');
        }
      } catch (err) {
        fail(err);
      }
    });
}
