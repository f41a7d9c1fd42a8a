import { request, type IncomingMessage } from 'node:http';

export interface SseEvent {
  id: string;
  event: string;
  data: string;
}

/** A minimal SSE reader for tests: collects events until `until` says stop, then closes the connection. */
export function readSse(
  url: string,
  headers: Record<string, string>,
  until: (events: SseEvent[]) => boolean,
  timeoutMs = 10000,
): Promise<{ events: SseEvent[]; response: IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const events: SseEvent[] = [];
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      let buffer = '';
      const timer = setTimeout(() => {
        req.destroy();
        reject(new Error(`SSE timed out with ${events.length} events`));
      }, timeoutMs);
      if (res.statusCode !== 200) {
        clearTimeout(timer);
        resolve({ events, response: res });
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const e: SseEvent = { id: '', event: '', data: '' };
          for (const line of block.split('\n')) {
            const m = /^(id|event|data): ?(.*)$/.exec(line);
            if (m) e[m[1] as keyof SseEvent] = m[2]!;
          }
          if (e.data) events.push(e);
        }
        if (until(events)) {
          clearTimeout(timer);
          req.destroy();
          resolve({ events, response: res });
        }
      });
      res.on('error', () => undefined);
    });
    req.on('error', (err) => {
      if (!req.destroyed) reject(err);
    });
    req.end();
  });
}
