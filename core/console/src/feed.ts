import type { DeviceStatus, InspectionCase, Observation } from '@customs-hub/sdk';
import { authHeaders } from './api.js';

export type FeedItem =
  | { seq: number; type: 'observation'; observation: Observation }
  | { seq: number; type: 'device-status'; status: DeviceStatus }
  | { seq: number; type: 'case'; case: InspectionCase }
  | { seq: number; type: 'other'; eventType: string; data: unknown };

export type FeedState = 'connecting' | 'live' | 'retrying' | 'stopped';

/** Turns one feed record (bare data or a CloudEvents-like envelope) into what the pages use. */
export function toFeedItem(seq: number, eventType: string, data: unknown): FeedItem {
  const env = data as { type?: string; data?: unknown; seq?: number } | null;
  const inner = env && typeof env === 'object' && 'data' in env && env.data && typeof env.data === 'object' ? env.data : data;
  const type = (env && typeof env === 'object' && typeof env.type === 'string' ? env.type : eventType) || '';
  const s = typeof env?.seq === 'number' ? env.seq : seq;
  const schema = (inner as { schema?: string } | null)?.schema;
  if (schema === 'observation/v1') return { seq: s, type: 'observation', observation: inner as Observation };
  if (schema === 'device-status/v1') return { seq: s, type: 'device-status', status: inner as DeviceStatus };
  if (schema === 'inspection-case/v1') return { seq: s, type: 'case', case: inner as InspectionCase };
  return { seq: s, type: 'other', eventType: type, data: inner };
}

/** Splits an SSE byte stream into events; returns the unfinished tail. */
export function parseSse(buffer: string, emit: (e: { id: string | null; event: string; data: string }) => void): string {
  const blocks = buffer.split(/\r?\n\r?\n/);
  const tail = blocks.pop() ?? '';
  for (const block of blocks) {
    let id: string | null = null, event = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':')) continue;
      const i = line.indexOf(':');
      const field = i < 0 ? line : line.slice(0, i);
      const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) emit({ id, event, data: data.join('\n') });
  }
  return tail;
}

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
    return () => { this.listeners.delete(fn); };
  }

  onState(fn: (s: FeedState) => void): () => void {
    this.stateListeners.add(fn);
    return () => { this.stateListeners.delete(fn); };
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
        try { data = JSON.parse(e.data); } catch { return; }
        const item = toFeedItem(Number(e.id ?? 0), e.event, data);
        for (const fn of this.listeners) fn(item);
      });
    }
  }
}
