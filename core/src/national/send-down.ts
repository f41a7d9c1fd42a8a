import { createHash } from 'node:crypto';
import { headers, type NatsConnection } from 'nats';
import { ensureCentralDownlink } from './downlink-streams.js';
import { downSubject } from './nats-names.js';

/** The types a hub applies from its downlink (docs/national-network.md). */
export const DOWN_TYPES = ['declaration', 'watchlist', 'model'] as const;
export type DownType = (typeof DOWN_TYPES)[number];

/**
 * Publishes messages for checkpoints on the centre's downlink stream, each acknowledged by JetStream. The message
 * id is the hash of checkpoint, type and body, so sending the same file again within the stream's duplicate
 * window stores nothing twice.
 */
export async function sendDown(
  nc: NatsConnection,
  checkpoints: string[],
  type: DownType,
  bodies: string[],
): Promise<Array<{ checkpoint: string; first: number; last: number; duplicates: number }>> {
  if (!DOWN_TYPES.includes(type)) throw new Error(`unknown downlink type '${type}' (known: ${DOWN_TYPES.join(', ')})`);
  bodies.forEach((b, i) => {
    try {
      JSON.parse(b);
    } catch (err) {
      throw new Error(`message ${i + 1} is not JSON: ${(err as Error).message}`, { cause: err });
    }
  });
  await ensureCentralDownlink(await nc.jetstreamManager());
  const js = nc.jetstream();
  const out = [];
  for (const cp of checkpoints) {
    let first = 0,
      last = 0,
      duplicates = 0;
    for (const body of bodies) {
      const h = headers();
      h.set('Content-Type', 'application/json');
      const id = createHash('sha256').update(`${cp}\u0000${type}\u0000${body}`).digest('hex');
      const ack = await js.publish(downSubject(cp, type), new TextEncoder().encode(body), { msgID: id, headers: h });
      if (ack.duplicate) duplicates++;
      else {
        first ||= ack.seq;
        last = ack.seq;
      }
    }
    out.push({ checkpoint: cp, first, last, duplicates });
  }
  return out;
}
