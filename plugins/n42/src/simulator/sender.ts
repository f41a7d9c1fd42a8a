import { connect, type Socket } from 'node:net';
import type { Logger } from '@customs-hub/sdk';

/** Streams documents back to back on one TCP connection, reconnecting on the next send after a failure. */
export class StreamSender {
  private socket: Socket | null = null;
  private connecting: Promise<Socket> | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly logger: Logger,
  ) {}

  async send(text: string): Promise<void> {
    const socket = await this.open();
    await new Promise<void>((resolve, reject) => socket.write(text, (err) => (err ? reject(err) : resolve())));
  }

  async close(): Promise<void> {
    const s = this.socket;
    this.socket = null;
    if (s && !s.destroyed)
      await new Promise<void>((resolve) => {
        s.once('close', () => resolve());
        s.end();
        s.destroySoon();
      });
  }

  /** Whether the hub's listener ever accepted us: until then a refusal is the hub still starting. */
  everConnected = false;

  private open(): Promise<Socket> {
    if (this.socket && !this.socket.destroyed) return Promise.resolve(this.socket);
    this.connecting ??= new Promise<Socket>((resolve, reject) => {
      const s = connect(this.port, this.host);
      s.once('connect', () => {
        s.off('error', reject);
        this.socket = s;
        this.everConnected = true;
        this.connecting = null;
        resolve(s);
      });
      s.once('error', (err) => {
        this.connecting = null;
        reject(err);
      });
      // A refused connect is reported by the send that needed it; log errors of a live stream here.
      s.on('error', (err) => {
        if (this.socket === s) this.logger.warn({ err: err.message }, 'n42 simulator stream error');
      });
    });
    return this.connecting;
  }
}
