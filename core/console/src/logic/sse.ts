// Pure logic of the console (no DOM): also compiled with core and tested in Node.
import type { DeviceStatus, InspectionCase, Observation } from '@customs-hub/sdk';

export type FeedItem =
  | { seq: number; type: 'observation'; observation: Observation }
  | { seq: number; type: 'device-status'; status: DeviceStatus }
  | { seq: number; type: 'case'; case: InspectionCase }
  | { seq: number; type: 'other'; eventType: string; data: unknown };

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
    let id: string | null = null,
      event = 'message';
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
