import { Socket } from 'node:net';
import type { Clock, Logger } from '@customs-hub/sdk';
import { reconnectDelay } from '../backoff.js';
import type { ResolvedConfig } from '../config.js';
import type { EventSink, Transport } from '../events.js';
import { LineFramer } from './line-framer.js';
import { LineParser } from './line-parser.js';

/**
 * TCP client for a portal that streams Rapiscan-style lines. Reconnects with backoff; a connection
 * that stays silent longer than idleTimeoutS is taken for dead (portals send background every few
 * seconds) and rebuilt.
 */
export class AsciiTransport implements Transport {
  private socket: Socket | null = null;
  private paused = false;
  private loop: Promise<void> | null = null;
  private readonly controller = new AbortController();

  constructor(
    private readonly config: ResolvedConfig,
    private readonly sink: EventSink,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.controller.abort(new Error('transport stopped'));
    this.socket?.destroy();
    await this.loop;
  }

  // While paused the portal is not silent, the hub is busy: the idle timeout is off meanwhile.
  pause(): void {
    this.paused = true;
    this.socket?.setTimeout(0);
    this.socket?.pause();
  }

  resume(): void {
    this.paused = false;
    this.socket?.setTimeout(this.config.idleTimeoutS * 1000);
    this.socket?.resume();
  }

  private async run(): Promise<void> {
    const signal = this.controller.signal;
    let attempt = 0;
    let everUp = false;
    while (!signal.aborted) {
      const result = await this.connectOnce(everUp);
      if (signal.aborted) break;
      if (result.gotData) attempt = 0;
      if (result.connected) everUp = true;
      const delay = reconnectDelay(attempt++, this.config.reconnect.initialMs, this.config.reconnect.maxMs);
      this.logger.debug({ delayMs: delay, err: result.error.message }, 'reconnecting');
      try {
        await this.clock.sleep(delay, signal);
      } catch {
        break;
      }
    }
  }

  /** One connection, from connect to close. Resolves with why it ended; never rejects. */
  private connectOnce(reconnected: boolean): Promise<{ connected: boolean; gotData: boolean; error: Error }> {
    const { host, port, connectTimeoutMs, idleTimeoutS, panels, ascii } = this.config;
    const parser = new LineParser({ panels, ...ascii });
    const framer = new LineFramer(
      (line) => this.onLine(parser, line),
      (head) => this.sink.malformed(`line longer than 512 characters`, head),
    );
    return new Promise((resolve) => {
      const socket = new Socket();
      this.socket = socket;
      let connected = false,
        gotData = false,
        error: Error | null = null;
      // Checked after pending I/O (setImmediate): if the event loop was busy, the connection may have
      // completed meanwhile, and the portal would count lines sent to a socket we then dropped.
      const connectTimer = setTimeout(
        () =>
          setImmediate(() => {
            if (socket.connecting) socket.destroy(new Error(`connect to ${host}:${port} timed out after ${connectTimeoutMs} ms`));
          }),
        connectTimeoutMs,
      );
      socket.setNoDelay(true);
      socket.once('connect', () => {
        clearTimeout(connectTimer);
        connected = true;
        if (this.paused) socket.pause();
        else socket.setTimeout(idleTimeoutS * 1000);
        this.sink.linkUp(reconnected);
      });
      socket.on('timeout', () => socket.destroy(new Error(`no data from ${host}:${port} for ${idleTimeoutS} s`)));
      socket.on('data', (chunk: Buffer) => {
        gotData = true;
        framer.push(chunk);
      });
      socket.on('error', (err) => {
        error = err;
      });
      socket.once('close', () => {
        clearTimeout(connectTimer);
        if (this.socket === socket) this.socket = null;
        const why = error ?? new Error(`${host}:${port} closed the connection`);
        if (!this.controller.signal.aborted) {
          if (connected) this.sink.linkDown(why);
          else this.sink.failure(new Error(`cannot connect to ${host}:${port}: ${why.message}`, { cause: why }));
        }
        resolve({ connected, gotData, error: why });
      });
      socket.connect(port, host);
    });
  }

  private onLine(parser: LineParser, line: string): void {
    const at = this.clock.now();
    const r = parser.parse(line);
    if (r.ok === true) {
      if (r.event) this.sink.event(r.event, at);
    } else if (r.ok === 'unknown') {
      this.sink.unknown(line);
    } else {
      this.sink.malformed(r.reason, line);
    }
  }
}
