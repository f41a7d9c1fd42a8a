import { createServer, type Server, type Socket } from 'node:net';

/** A port free on 127.0.0.1 right now (modbus-serial would turn port 0 into 502). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A hand-made Modbus TCP server for fc 3/4 that answers each request after delayMs (or never, if
 * delayMs is null), and records how many requests were outstanding at once and how many connections came.
 */
export class ScriptedServer {
  connections = 0;
  outstanding = 0;
  maxOutstanding = 0;
  requests = 0;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private server: Server | null = null;

  constructor(
    private readonly delayMs: number | null,
    private readonly value: (address: number) => number = (a) => a,
  ) {}

  async listen(port: number): Promise<void> {
    this.server = createServer((socket) => {
      this.connections++;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
      let buf = Buffer.alloc(0);
      socket.on('data', (chunk) => {
        buf = Buffer.concat([buf, chunk]);
        while (buf.length >= 12) {
          const frame = buf.subarray(0, 12);
          buf = buf.subarray(12);
          this.requests++;
          this.outstanding++;
          this.maxOutstanding = Math.max(this.maxOutstanding, this.outstanding);
          if (this.delayMs === null) continue;
          const t = setTimeout(() => {
            this.timers.delete(t);
            this.reply(socket, frame);
          }, this.delayMs);
          this.timers.add(t);
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
  }

  private reply(socket: Socket, req: Buffer): void {
    this.outstanding--;
    const address = req.readUInt16BE(8);
    const count = req.readUInt16BE(10);
    const out = Buffer.alloc(9 + count * 2);
    req.copy(out, 0, 0, 4); // transaction id, protocol id
    out.writeUInt16BE(3 + count * 2, 4);
    out[6] = req[6]!;
    out[7] = req[7]!;
    out[8] = count * 2;
    for (let i = 0; i < count; i++) out.writeUInt16BE(this.value(address + i) & 0xffff, 9 + i * 2);
    if (!socket.destroyed) socket.write(out);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Resolves when predicate holds (polled every 10 ms), rejects after timeoutMs. */
export async function until(predicate: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
