import type { FeedReader } from '../storage/feed-reader.js';
import type { GroupCommitWriter } from '../storage/group-commit-writer.js';
import type { FeedRecord } from '../storage/records.js';

export interface FollowOptions {
  batch: number;
  signal: AbortSignal;
  idleMs: number;
}

/**
 * Follows the feed from a sequence: reads the database by seq, and when caught up waits for the writer's
 * next commit (or idleMs, so callers can send keep-alives) and reads again. Ordering comes from the
 * database, never from in-memory notifications, so a pull followed by a stream cannot gap or reorder.
 * Yields batches; an empty batch means "idle".
 */
export async function* followFeed(reader: FeedReader, writer: GroupCommitWriter, after: number, options: FollowOptions): AsyncGenerator<FeedRecord[]> {
  let cursor = after;
  let wake: (() => void) | null = null;
  let dirty = true;
  const off = writer.onCommitted(() => {
    dirty = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  options.signal.addEventListener('abort', onAbort);
  try {
    while (!options.signal.aborted) {
      if (!dirty) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.idleMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
        if (options.signal.aborted) return;
        if (!dirty) {
          yield [];
          continue;
        }
      }
      dirty = false;
      for (;;) {
        const records = await reader.read(cursor, options.batch);
        if (records.length === 0) break;
        cursor = records[records.length - 1]!.seq;
        yield records;
        if (options.signal.aborted) return;
        if (records.length < options.batch) break;
      }
    }
  } finally {
    off();
    options.signal.removeEventListener('abort', onAbort);
  }
}
