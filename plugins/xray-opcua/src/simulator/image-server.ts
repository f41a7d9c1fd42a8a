import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '@customs-hub/sdk';
import { imageStream, type ImageSpec } from './image-stream.js';

/** Serves simulated images over HTTP on 127.0.0.1, streamed as they are generated. */
export class ImageServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly lookup: (name: string) => ImageSpec | undefined,
    private readonly logger: Logger,
  ) {
    this.server = createServer((req, res) => {
      void this.handle(req.method ?? '', req.url ?? '', res);
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  async listen(port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(method: string, url: string, res: ServerResponse): Promise<void> {
    const m = /^\/images\/([A-Za-z0-9._-]+)$/.exec(url);
    const spec = m ? this.lookup(m[1]!) : undefined;
    if (method !== 'GET' || !spec) {
      res.writeHead(method === 'GET' ? 404 : 405, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': spec.sizeBytes });
    try {
      await pipeline(imageStream(spec), res);
    } catch (err) {
      this.logger.debug({ err: (err as Error).message, url }, 'image transfer ended early');
    }
  }
}
