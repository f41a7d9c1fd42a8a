import { authHeaders, signedOut } from './api.js';
import { parseSse, toFeedItem, type FeedItem } from './logic/sse.js';

export type { FeedItem } from './logic/sse.js';

export type FeedState = 'connecting' | 'live' | 'retrying' | 'stopped';

/**
 * The live feed over SSE. EventSource cannot send an Authorization header, so this reads the stream
 * with fetch, resumes after the last seq with Last-Event-ID, and retries with backoff.
 */
export class LiveFeed {
  private readonly listeners = new Set<(item: FeedItem) => void>();
  private readonly stateListeners = new Set<(s: FeedState) => void>();
  private controller: AbortController | null = null;
  private lastId: string | null = null;
  private failures = 0;
  state: FeedState = 'stopped';

  subscribe(fn: (item: FeedItem) => void): () => void {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  }

  onState(fn: (s: FeedState) => void): () => void {
    this.stateListeners.add(fn);
    return () => {
      this.stateListeners.delete(fn);
    };
  }

  /** Starts streaming after the given sequence (or where it left off). */
  start(after?: number): void {
    if (this.controller) return;
    if (after !== undefined) this.lastId = String(after);
    this.controller = new AbortController();
    void this.run(this.controller.signal);
  }

  stop(): void {
    this.controller?.abort();
    this.controller = null;
    this.setState('stopped');
  }

  private setState(s: FeedState): void {
    this.state = s;
    for (const fn of this.stateListeners) fn(s);
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      this.setState(this.failures === 0 ? 'connecting' : 'retrying');
      try {
        const headers: Record<string, string> = { accept: 'text/event-stream', ...authHeaders() };
        if (this.lastId) headers['last-event-id'] = this.lastId;
        const res = await fetch('/api/v1/feed/stream', { headers, signal });
        // A revoked token would otherwise retry forever.
        if (res.status === 401) {
          this.stop();
          signedOut();
          return;
        }
        if (!res.ok || !res.body) throw new Error(`feed answered ${res.status}`);
        this.setState('live');
        this.failures = 0;
        await this.read(res.body, signal);
      } catch {
        if (signal.aborted) return;
      }
      this.failures++;
      const delay = Math.min(10_000, 500 * 2 ** Math.min(this.failures, 5));
      this.setState('retrying');
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  private async read(body: ReadableStream<Uint8Array>, signal: AbortSignal): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    while (!signal.aborted) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer = parseSse(buffer + decoder.decode(value, { stream: true }), (e) => {
        if (e.id) this.lastId = e.id;
        let data: unknown;
        try {
          data = JSON.parse(e.data);
        } catch {
          return;
        }
        const item = toFeedItem(Number(e.id ?? 0), e.event, data);
        for (const fn of this.listeners) fn(item);
      });
    }
  }
}
