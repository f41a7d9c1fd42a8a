import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { FeedReader } from '../storage/feed-reader.js';
import type { GroupCommitWriter } from '../storage/group-commit-writer.js';
import type { Logger } from '../util/logger.js';
import { toCloudEventJson } from './cloud-event.js';
import { followFeed } from './feed-follower.js';

export interface SseOptions {
  checkpoint: string;
  after: number;
  keepAliveMs: number;
  signal: AbortSignal;
  logger: Logger;
}

/**
 * A Server-Sent Events body: one event per feed record, `id:` = feed sequence (so the browser's
 * Last-Event-ID resumes exactly), `event:` = CloudEvents type, `data:` = the CloudEvent JSON (one line).
 * Writes respect back-pressure, so a slow client slows its own reader and nothing else.
 */
export function feedEventStream(reader: FeedReader, writer: GroupCommitWriter, options: SseOptions): PassThrough {
  const out = new PassThrough();
  const abort = new AbortController();
  options.signal.addEventListener('abort', () => abort.abort());
  out.on('close', () => abort.abort());
  out.on('error', () => abort.abort());
  void (async () => {
    try {
      out.write('retry: 2000\n\n');
      for await (const batch of followFeed(reader, writer, options.after, { batch: 500, signal: abort.signal, idleMs: options.keepAliveMs })) {
        const text =
          batch.length === 0
            ? ': keep-alive\n\n'
            : batch.map((r) => `id: ${r.seq}\nevent: ${r.type}\ndata: ${toCloudEventJson(r, options.checkpoint)}\n\n`).join('');
        if (!out.write(text)) await Promise.race([once(out, 'drain'), once(abort.signal, 'abort')]);
        if (abort.signal.aborted) break;
      }
    } catch (err) {
      options.logger.warn({ err: (err as Error).message }, 'feed stream ended by an error');
    } finally {
      out.end();
    }
  })();
  return out;
}
