import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '@customs-hub/sdk';
import type { FramingConfig } from '../config.js';
import { frame } from './encode.js';

/** How the simulated gate delivers its messages. */
export interface GateTransport {
  /** Sends one message (framed for TCP). Resolves once written (TCP) or answered (HTTP). */
  deliver(text: string, name: string): Promise<void>;
  /** Sends bytes exactly as given, for tests of bad input (truncated messages, wrong framing). */
  sendRaw(bytes: Buffer): Promise<void>;
  describe(): string;
  stop(): Promise<void>;
}

const QUEUE_LIMIT = 1000;

function write(socket: Socket, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => socket.write(bytes, (err) => (err ? reject(err) : resolve())));
}

/** The gate connects to the hub's listener and pushes; it reconnects and keeps what it could not send. */
export class TcpPushTransport implements GateTransport {
  private socket: Socket | null = null;
  private queue: Buffer[] = [];
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly framing: FramingConfig,
    private readonly logger: Logger,
  ) {
    this.connect();
  }

  deliver(text: string): Promise<void> {
    return this.send(frame(text, this.framing));
  }
  sendRaw(bytes: Buffer): Promise<void> {
    return this.send(bytes);
  }
  describe(): string {
    return `pushing to tcp ${this.host}:${this.port}`;
  }

  /** Closes the connection (a gate reboot): the next delivery reconnects. */
  disconnect(): void {
    this.socket?.destroy();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const s = this.socket;
    this.socket = null;
    if (s && !s.destroyed)
      await new Promise<void>((resolve) => {
        s.once('close', () => resolve());
        s.end();
        setTimeout(() => s.destroy(), 500).unref();
      });
  }

  private async send(bytes: Buffer): Promise<void> {
    if (this.socket && !this.socket.connecting && !this.socket.destroyed) return write(this.socket, bytes);
    if (this.queue.length >= QUEUE_LIMIT) this.queue.shift();
    this.queue.push(bytes);
  }

  private connect(): void {
    if (this.stopped) return;
    const socket = createConnection({ host: this.host, port: this.port });
    socket.on('connect', () => {
      this.socket = socket;
      const pending = this.queue;
      this.queue = [];
      for (const b of pending) socket.write(b);
    });
    socket.on('error', (err) => this.logger.debug({ err: err.message }, 'ocr-gate simulator: connection error'));
    socket.on('data', () => undefined);
    socket.on('close', () => {
      if (this.socket === socket) this.socket = null;
      if (!this.stopped) this.timer = setTimeout(() => this.connect(), 300);
    });
  }
}

/** The gate listens; the hub connects (driver tcp.mode connect) and gets every message from then on. */
export class TcpServeTransport implements GateTransport {
  private readonly clients = new Set<Socket>();
  private queue: Buffer[] = [];

  private constructor(
    private readonly server: Server,
    private readonly host: string,
    private readonly framing: FramingConfig,
  ) {}

  static async listen(host: string, port: number, framing: FramingConfig): Promise<TcpServeTransport> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const t = new TcpServeTransport(server, host, framing);
    server.on('connection', (socket) => {
      t.clients.add(socket);
      socket.on('error', () => undefined);
      socket.on('data', () => undefined);
      socket.on('close', () => t.clients.delete(socket));
      const pending = t.queue;
      t.queue = [];
      for (const b of pending) socket.write(b);
    });
    return t;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }
  deliver(text: string): Promise<void> {
    return this.send(frame(text, this.framing));
  }
  sendRaw(bytes: Buffer): Promise<void> {
    return this.send(bytes);
  }
  describe(): string {
    return `serving tcp ${this.host}:${this.port}`;
  }

  async stop(): Promise<void> {
    for (const c of this.clients) c.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async send(bytes: Buffer): Promise<void> {
    if (this.clients.size === 0) {
      if (this.queue.length >= QUEUE_LIMIT) this.queue.shift();
      this.queue.push(bytes);
      return;
    }
    await Promise.all([...this.clients].map((c) => write(c, bytes).catch(() => undefined)));
  }
}

/** The gate POSTs each message to the hub's upload route with a bearer token (scope devices:write). */
export class HttpPushTransport implements GateTransport {
  constructor(
    private readonly hubUrl: string,
    private readonly deviceId: string,
    private readonly token: string,
    private readonly logger: Logger,
  ) {}

  deliver(text: string, name: string): Promise<void> {
    return this.post(Buffer.from(text, 'utf8'), name);
  }
  sendRaw(bytes: Buffer): Promise<void> {
    return this.post(bytes, 'raw');
  }
  describe(): string {
    return `posting to ${this.url('…')}`;
  }
  async stop(): Promise<void> {
    /* nothing held open */
  }

  private url(name: string): string {
    return `${this.hubUrl.replace(/\/$/, '')}/api/v1/devices/${encodeURIComponent(this.deviceId)}/files?name=${encodeURIComponent(name)}`;
  }

  private async post(body: Buffer, name: string): Promise<void> {
    const res = await fetch(this.url(name), {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': body[0] === 0x3c ? 'application/xml' : 'application/json' },
    });
    if (!res.ok) {
      const text = await res.text();
      this.logger.warn({ status: res.status, body: text.slice(0, 500) }, 'ocr-gate simulator: hub refused the message');
      throw new Error(`hub answered ${res.status}: ${text.slice(0, 300)}`);
    }
    await res.arrayBuffer();
  }
}
