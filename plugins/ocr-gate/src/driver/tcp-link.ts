import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { DriverContext } from '@customs-hub/sdk';
import type { TcpConfig } from '../config.js';
import { describeFraming } from '../framing/framer.js';
import { serveConnection, type MessageHandler } from './gate-connection.js';

/**
 * The TCP side of a gate: either the hub listens and the gate connects (several gates or reconnects
 * at once are fine), or the hub connects to the gate's server and reconnects with backoff.
 * A port that cannot be bound, or a gate that cannot be reached, is a status, never a throw.
 */
export class TcpLink {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly connections = new Set<Promise<void>>();
  private loop: Promise<void> | null = null;
  private connected = false;

  constructor(
    private readonly ctx: DriverContext<unknown>,
    private readonly config: TcpConfig,
    private readonly maxBytes: number,
    private readonly onMessage: MessageHandler,
  ) {}

  async start(signal: AbortSignal): Promise<void> {
    if (this.config.mode === 'listen') await this.listen();
    else this.loop = this.connectLoop(signal);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await this.loop;
    await Promise.allSettled([...this.connections]);
  }

  /** The bound port in listen mode (useful when configured as 0). */
  port(): number | undefined {
    const a = this.server?.address();
    return a && typeof a === 'object' ? a.port : undefined;
  }

  describe(): string {
    const where = `${this.config.host ?? '127.0.0.1'}:${this.port() ?? this.config.port}`;
    return `${this.config.mode === 'listen' ? 'listening on' : 'connecting to'} tcp ${where} (${describeFraming(this.config.framing)})`;
  }

  /** For health probes: listening, or connected to the gate. */
  get up(): boolean {
    return this.config.mode === 'listen' ? this.server !== null : this.connected;
  }

  private problem = (reason: string) => {
    this.ctx.logger.warn({ reason }, 'gate stream problem');
    this.ctx.status.failure(reason);
  };

  private track(socket: Socket): Promise<void> {
    this.sockets.add(socket);
    const done = serveConnection(socket, this.config.framing, this.maxBytes, this.onMessage, this.problem).finally(() => {
      this.sockets.delete(socket);
      this.connections.delete(done);
    });
    this.connections.add(done);
    return done;
  }

  private async listen(): Promise<void> {
    const host = this.config.host ?? '127.0.0.1';
    const server = createServer((socket) => {
      this.ctx.logger.info({ peer: `${socket.remoteAddress}:${socket.remotePort}` }, 'gate connected');
      void this.track(socket);
    });
    this.server = server;
    await new Promise<void>((resolve) => {
      server.once('error', (err) => {
        this.ctx.status.fault(`cannot listen on ${host}:${this.config.port}: ${err.message}`);
        this.server = null;
        resolve();
      });
      server.listen(this.config.port, host, () => resolve());
    });
  }

  private async connectLoop(signal: AbortSignal): Promise<void> {
    const host = this.config.host ?? '127.0.0.1';
    const first = (this.config.reconnectS ?? 2) * 1000;
    let delay = first;
    while (!signal.aborted) {
      const socket = createConnection({ host, port: this.config.port });
      this.sockets.add(socket);
      const opened = await new Promise<boolean>((resolve) => {
        const onError = (err: Error) => {
          this.ctx.status.failure(`cannot connect to the gate at ${host}:${this.config.port}: ${err.message}`);
          resolve(false);
        };
        socket.once('error', onError);
        socket.once('connect', () => {
          socket.off('error', onError);
          resolve(true);
        });
        socket.once('close', () => resolve(false)); // destroyed by stop() while connecting
      });
      if (opened) {
        this.connected = true;
        delay = first;
        this.ctx.status.ok(`connected to the gate at ${host}:${this.config.port}`);
        await this.track(socket);
        this.connected = false;
        if (!signal.aborted) this.ctx.status.failure(`connection to the gate at ${host}:${this.config.port} closed; reconnecting`);
      } else {
        socket.destroy();
        this.sockets.delete(socket);
      }
      await this.ctx.clock.sleep(opened ? first : delay, signal).catch(() => undefined);
      if (!opened) delay = Math.min(delay * 2, 30_000);
    }
  }
}
