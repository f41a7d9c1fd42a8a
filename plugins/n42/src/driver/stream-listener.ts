import { createServer, type Server, type Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { RejectedInputError, type DriverContext } from '@customs-hub/sdk';
import { cutMessage } from '../n42/parse.js';
import { DocumentSplitter, type DocumentPiece } from '../n42/split.js';

/** Handles one complete document text from a connection; throws RejectedInputError for a bad one. */
export type DocumentHandler = (text: string, name: string) => Promise<void>;

/**
 * Accepts instruments that stream N42 documents back to back over TCP. Documents of one connection
 * are handled in order, and the socket is paused while one is handled, so a slow hub slows the sender.
 * A bad document is reported and skipped; the stream goes on with the next one.
 */
export class StreamListener {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly ctx: DriverContext<unknown>,
    private readonly maxBytes: number,
    private readonly handle: DocumentHandler,
  ) {}

  /** Listens; a port that cannot be bound is reported as a fault, not thrown, so the other inputs still run. */
  async start(port: number, host: string): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve) => {
      server.once('error', (err) => {
        this.ctx.status.fault(`cannot listen on ${host}:${port}: ${err.message}`);
        this.server = null;
        resolve();
      });
      server.listen(port, host, () => {
        this.ctx.logger.info({ host, port: this.port() }, 'N42 stream listener up');
        resolve();
      });
    });
  }

  /** The bound port (useful when configured as 0). */
  port(): number | undefined {
    const a = this.server?.address();
    return a && typeof a === 'object' ? a.port : undefined;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.allSettled([...this.pending]);
  }

  private accept(socket: Socket): void {
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    this.sockets.add(socket);
    const splitter = new DocumentSplitter(this.maxBytes);
    const decoder = new StringDecoder('utf8');
    let count = 0;
    let chain = Promise.resolve();
    const enqueue = (piece: DocumentPiece) => {
      const n = ++count;
      socket.pause();
      chain = chain
        .then(() => this.handleOne(piece, `${peer} document ${n}`))
        .finally(() => {
          if (!socket.destroyed) socket.resume();
        });
      this.track(chain);
    };
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const piece of splitter.push(decoder.write(chunk))) enqueue(piece);
      } catch (err) {
        this.ctx.status.failure(`${peer}: ${(err as Error).message}; connection closed`);
        socket.destroy();
      }
    });
    socket.on('end', () => {
      const tail = decoder.end();
      let pieces: DocumentPiece[] = [];
      try {
        if (tail) pieces = splitter.push(tail);
      } catch (err) {
        this.ctx.status.failure(`${peer}: ${(err as Error).message}`);
      }
      const rest = splitter.rest();
      for (const piece of pieces) enqueue(piece);
      // Reported after the documents before it, so statuses read in stream order.
      if (rest) {
        const message = `${peer}: connection ended inside a document; ${cutMessage(`document ${count + 1}`, rest)}`;
        this.track(
          chain.then(() => {
            this.ctx.logger.warn({ source: peer, offset: rest.offset }, message);
            this.ctx.status.failure(message);
          }),
        );
      }
      socket.end();
    });
    socket.on('error', (err) => this.ctx.status.failure(`${peer}: ${err.message}`));
    socket.on('close', () => this.sockets.delete(socket));
  }

  private async handleOne(piece: DocumentPiece, name: string): Promise<void> {
    if (piece.cut) {
      // A frame that closed early: the documents around it are whole and go on.
      const message = cutMessage(name, piece);
      this.ctx.logger.warn({ source: name, offset: piece.offset }, message);
      this.ctx.status.failure(message);
      return;
    }
    try {
      await this.handle(piece.text, name);
    } catch (err) {
      if (err instanceof RejectedInputError) {
        this.ctx.logger.warn({ source: name, offset: piece.offset, reason: err.reason }, 'N42 document rejected');
        this.ctx.status.failure(`${name} (from byte ${piece.offset}) rejected: ${err.reason}`);
      } else {
        this.ctx.logger.error({ source: name, err: (err as Error).message }, 'N42 document not ingested');
        this.ctx.status.failure(`${name}: ${(err as Error).message}`);
      }
    }
  }

  private track(p: Promise<void>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }
}
