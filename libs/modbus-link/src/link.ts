import { backoffDelay, type BackoffOptions } from './backoff.js';
import { destroyClient, openClient, type Framing, type ModbusClient } from './connection.js';
import {
  ModbusConnectionError,
  ModbusExceptionError,
  ModbusLinkClosedError,
  ModbusQueueFullError,
  ModbusTimeoutError,
  type RequestDescription,
} from './errors.js';
import { LinkEvents } from './link-events.js';
import { sleep } from './sleep.js';

export interface ModbusLinkOptions {
  host: string;
  port: number;
  /** Default 'tcp'. */
  framing?: Framing;
  /** Per-request answer timeout, ms (default 1000). A request also waits at most this long for the link to come up. */
  timeoutMs?: number;
  /** TCP connect timeout, ms (default 3000). */
  connectTimeoutMs?: number;
  /** Requests waiting behind the one in flight before new ones are refused (default 32). */
  maxQueue?: number;
  /**
   * Consecutive timeouts after which the connection is taken for dead though the socket looks open,
   * and is destroyed and rebuilt (default 3). RTU-over-TCP rebuilds after every timeout (see README).
   */
  staleAfterTimeouts?: number;
  backoff?: BackoffOptions;
  /** Aborting it closes the link. */
  signal?: AbortSignal;
  /** Random source for reconnect jitter (tests make it deterministic). */
  random?: () => number;
}

/** Per-request options. */
export interface RequestOptions {
  /** Abort waiting for this request. Once sent, the link still waits for its answer before the next. */
  signal?: AbortSignal;
}

interface Job {
  request: RequestDescription;
  run(client: ModbusClient): Promise<unknown>;
  resolve(value: unknown): void;
  reject(err: Error): void;
  signal?: AbortSignal;
  onAbort?: () => void;
  settled: boolean;
}

/**
 * One connection to one Modbus TCP endpoint, shared by every poll that goes to it.
 * Requests are serialized through one bounded queue (never two in flight); the connection is
 * rebuilt with backoff when it drops or stops answering.
 */
export class ModbusLink extends LinkEvents {
  readonly endpoint: { host: string; port: number; framing: Framing };
  private readonly timeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly maxQueue: number;
  private readonly staleAfter: number;
  private readonly closer = new AbortController();
  private readonly queue: Job[] = [];
  private client: ModbusClient | null = null;
  private dropped: (() => void) | null = null;
  private connecting: Promise<void> | null = null;
  private upWaiters = new Set<() => void>();
  private pumping = false;
  private consecutiveTimeouts = 0;
  private closed = false;
  private onDrop: ((reason: Error | null) => void) | null = null;
  private lastError: Error | null = null;

  constructor(private readonly options: ModbusLinkOptions) {
    super();
    this.endpoint = { host: options.host, port: options.port, framing: options.framing ?? 'tcp' };
    this.timeoutMs = options.timeoutMs ?? 1000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 3000;
    this.maxQueue = options.maxQueue ?? 32;
    this.staleAfter = this.endpoint.framing === 'rtu-over-tcp' ? 1 : Math.max(1, options.staleAfterTimeouts ?? 3);
    options.signal?.addEventListener('abort', () => void this.close(), { once: true, signal: this.closer.signal });
  }

  /** True while a connection is open. */
  get connected(): boolean {
    return this.client !== null;
  }

  /** Starts connecting in the background (requests do this themselves); idempotent. */
  open(): void {
    if (this.closed || this.connecting) return;
    this.connecting = this.connectLoop().finally(() => {
      this.connecting = null;
    });
  }

  /** Function code 4. */
  readInputRegisters(unitId: number, address: number, count: number, options?: RequestOptions): Promise<number[]> {
    return this.enqueue({ unitId, functionCode: 4, address, count }, async (c) => (await c.readInputRegisters(address, count)).data, options);
  }

  /** Function code 3. */
  readHoldingRegisters(unitId: number, address: number, count: number, options?: RequestOptions): Promise<number[]> {
    return this.enqueue({ unitId, functionCode: 3, address, count }, async (c) => (await c.readHoldingRegisters(address, count)).data, options);
  }

  /** Function code 1. */
  readCoils(unitId: number, address: number, count: number, options?: RequestOptions): Promise<boolean[]> {
    return this.enqueue({ unitId, functionCode: 1, address, count }, async (c) => (await c.readCoils(address, count)).data.slice(0, count), options);
  }

  /** Function code 2. */
  readDiscreteInputs(unitId: number, address: number, count: number, options?: RequestOptions): Promise<boolean[]> {
    return this.enqueue({ unitId, functionCode: 2, address, count }, async (c) => (await c.readDiscreteInputs(address, count)).data.slice(0, count), options);
  }

  /** Refuses new requests, fails the queued one and the one in flight, closes the socket. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closer.abort(new ModbusLinkClosedError());
    for (const job of this.queue.splice(0)) this.settle(job, new ModbusLinkClosedError());
    for (const wake of this.upWaiters) wake();
    this.drop(null);
    await this.connecting;
  }

  private enqueue<T>(request: RequestDescription, run: (c: ModbusClient) => Promise<T>, options?: RequestOptions): Promise<T> {
    if (this.closed) return Promise.reject(new ModbusLinkClosedError());
    if (this.queue.length >= this.maxQueue) return Promise.reject(new ModbusQueueFullError(this.maxQueue, request));
    return new Promise<T>((resolve, reject) => {
      const job: Job = { request, run, resolve: resolve as (v: unknown) => void, reject, signal: options?.signal, settled: false };
      if (job.signal?.aborted) return reject(job.signal.reason);
      job.onAbort = () => {
        const i = this.queue.indexOf(job);
        if (i >= 0) this.queue.splice(i, 1);
        this.settle(job, job.signal!.reason);
      };
      job.signal?.addEventListener('abort', job.onAbort, { once: true });
      this.queue.push(job);
      this.open();
      void this.pump();
    });
  }

  private settle(job: Job, err: Error | null, value?: unknown): void {
    if (job.settled) return;
    job.settled = true;
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    if (err) job.reject(err);
    else job.resolve(value);
  }

  // The single worker: one job at a time, in order.
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let job = this.queue.shift(); job; job = this.queue.shift()) {
        if (job.settled) continue;
        await this.execute(job);
      }
    } finally {
      this.pumping = false;
    }
  }

  private async execute(job: Job): Promise<void> {
    const client = await this.waitForClient(this.timeoutMs);
    if (!client) {
      const reason = this.closed
        ? new ModbusLinkClosedError()
        : new ModbusConnectionError(`not connected to ${this.endpoint.host}:${this.endpoint.port}${this.lastError ? `: ${this.lastError.message}` : ''}`, {
            cause: this.lastError,
          });
      return this.settle(job, reason);
    }
    client.setID(job.request.unitId);
    const outcome = await this.answerOf(client, job);
    if (outcome.ok) {
      this.consecutiveTimeouts = 0;
      return this.settle(job, null, outcome.value);
    }
    const err = outcome.error;
    if (err instanceof ModbusTimeoutError) {
      if (++this.consecutiveTimeouts >= this.staleAfter && this.client === client) {
        this.drop(new ModbusConnectionError(`${this.consecutiveTimeouts} request(s) unanswered on an open connection; rebuilding it`, { cause: err }));
      }
    } else if (err instanceof ModbusExceptionError) {
      this.consecutiveTimeouts = 0; // the device answered
    }
    this.settle(job, err);
  }

  // Runs one request against the client, bounded by our own timer and by the socket closing.
  private answerOf(client: ModbusClient, job: Job): Promise<{ ok: true; value: unknown } | { ok: false; error: Error }> {
    return new Promise((resolve) => {
      const done = (r: { ok: true; value: unknown } | { ok: false; error: Error }) => {
        clearTimeout(timer);
        this.dropped = null;
        resolve(r);
      };
      const timer = setTimeout(() => done({ ok: false, error: new ModbusTimeoutError(this.timeoutMs, job.request) }), this.timeoutMs);
      this.dropped = () => done({ ok: false, error: new ModbusConnectionError(`connection lost during ${describe(job.request)}`, { cause: this.lastError }) });
      job.run(client).then(
        (value) => done({ ok: true, value }),
        (err: unknown) => done({ ok: false, error: this.classify(err, job.request) }),
      );
    });
  }

  private classify(err: unknown, request: RequestDescription): Error {
    const e = err as { modbusCode?: unknown; errno?: unknown; message?: unknown };
    if (typeof e?.modbusCode === 'number') return new ModbusExceptionError(e.modbusCode, request);
    if (e?.errno === 'ETIMEDOUT') return new ModbusTimeoutError(this.timeoutMs, request);
    const message = typeof e?.message === 'string' ? e.message : String(err);
    return new ModbusConnectionError(`${describe(request)} failed: ${message}`, { cause: err });
  }

  private waitForClient(ms: number): Promise<ModbusClient | null> {
    if (this.client || this.closed) return Promise.resolve(this.client);
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.upWaiters.delete(wake);
        resolve(this.closed ? null : this.client);
      };
      const timer = setTimeout(wake, ms);
      this.upWaiters.add(wake);
    });
  }

  // Connects, waits for the connection to drop, then reconnects with backoff until closed.
  private async connectLoop(): Promise<void> {
    const signal = this.closer.signal;
    for (let attempt = 0; !this.closed;) {
      try {
        const client = await openClient(this.endpoint, this.connectTimeoutMs, (err) => this.fail(err), signal);
        if (this.closed) {
          destroyClient(client);
          return;
        }
        attempt = 0;
        await this.serve(client);
      } catch (err) {
        this.fail(new ModbusConnectionError(`cannot connect to ${this.endpoint.host}:${this.endpoint.port}: ${(err as Error).message}`, { cause: err }));
      }
      if (this.closed) return;
      try {
        await sleep(backoffDelay(attempt++, this.options.backoff, this.options.random), signal);
      } catch {
        return;
      }
    }
  }

  private serve(client: ModbusClient): Promise<void> {
    return new Promise((resolve) => {
      this.client = client;
      this.consecutiveTimeouts = 0;
      this.lastError = null;
      const onDown = (reason: Error | null) => {
        this.client = null;
        this.dropped?.();
        if (reason) this.emitEvent('disconnected', reason);
        resolve();
      };
      this.onDrop = onDown;
      client.on('close', () => {
        if (this.client === client) this.drop(new ModbusConnectionError('connection closed by peer'));
      });
      this.emitEvent('connected', undefined);
      for (const wake of this.upWaiters) wake();
    });
  }

  private drop(reason: Error | null): void {
    const client = this.client;
    if (!client) return;
    if (reason) this.lastError = reason;
    destroyClient(client);
    const onDrop = this.onDrop;
    this.onDrop = null;
    onDrop?.(reason);
  }

  private fail(err: Error): void {
    this.lastError = err;
    this.emitEvent('error', err);
  }
}

function describe(r: RequestDescription): string {
  return `unit ${r.unitId} fc ${r.functionCode} address ${r.address}`;
}
