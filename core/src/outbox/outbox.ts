import { toCloudEventJson } from '../feed/cloud-event.js';
import type { FeedRecord } from '../storage/records.js';
import { backoffDelay } from '../util/backoff.js';
import type { Logger } from '../util/logger.js';
import type { BrokerTarget } from './broker-target.js';
import { bufferState, type BufferState } from './buffer-policy.js';
import { SendWindow } from './send-window.js';
import type { OutboxConfig } from './outbox-config.js';
import type { OutboxStateStore } from './outbox-state.js';

/** What the outbox reads: the feed by sequence, its head, and commit notifications. */
export interface FeedSource {
  read(after: number, limit: number): Promise<FeedRecord[]>;
  head(): number;
  onCommitted(listener: () => void): () => void;
}

export interface OutboxStatus {
  target: string;
  connected: boolean;
  ackedSeq: number;
  backlog: number;
  oldestAgeMs: number;
  buffer: BufferState;
  dropped: number;
  accepting: boolean;
  lastError: string | null;
}

/**
 * Delivers the feed to a broker, at least once and in feed order, resuming from the last acknowledged
 * sequence. The feed tables are the buffer: nothing is copied, and "deleting" an event from the buffer is
 * moving the acknowledged cursor past it, which happens only after the broker acknowledged it (or the
 * drop-oldest policy gave up on it, which is counted and logged).
 *
 * Pacing: after a start or a failure the window is one message; each acknowledgement widens it by one up
 * to maxInFlight, so a replay ramps up from the first successful send instead of flooding a broker that is
 * just coming back.
 */
export class Outbox {
  private acked = 0;
  private dropped = 0;
  private persisted = { acked: -1, dropped: -1 };
  private saving: Promise<void> = Promise.resolve();
  private checking = false;
  private stopping = new AbortController();
  private running: Promise<void> | null = null;
  /** Ends a sleep early: on stop always, on a new commit only when idle (never cuts a backoff short). */
  private wake: (() => void) | null = null;
  private wakeOnCommit = false;
  private connected = false;
  private lastError: string | null = null;
  private buffer: BufferState = 'ok';
  private oldestAgeMs = 0;
  private skipTo = 0;
  private timer: NodeJS.Timeout | null = null;
  private offCommitted: (() => void) | null = null;
  /** Called on every buffer state change (ok → alarm → full and back), for metrics and alarms. */
  onBufferState: ((state: BufferState, status: OutboxStatus) => void) | null = null;

  constructor(
    private readonly source: FeedSource,
    private readonly target: BrokerTarget,
    private readonly state: OutboxStateStore,
    private readonly config: OutboxConfig,
    private readonly checkpoint: string,
    private readonly logger: Logger,
    private readonly now = Date.now,
  ) {}

  /** Unacknowledged events: the metric to watch. */
  backlog(): number {
    return Math.max(0, this.source.head() - Math.max(this.acked, this.skipTo));
  }

  /** False while the buffer is full under the stop-accepting policy: new observations are refused. */
  accepting(): boolean {
    return !(this.buffer === 'full' && this.config.buffer.whenFull === 'stop-accepting');
  }

  status(): OutboxStatus {
    return {
      target: this.target.name,
      connected: this.connected,
      ackedSeq: this.acked,
      backlog: this.backlog(),
      oldestAgeMs: this.oldestAgeMs,
      buffer: this.buffer,
      dropped: this.dropped,
      accepting: this.accepting(),
      lastError: this.lastError,
    };
  }

  async start(): Promise<void> {
    const s = await this.state.load();
    this.acked = s.ackedSeq;
    this.dropped = s.dropped;
    this.persisted = { acked: s.ackedSeq, dropped: s.dropped };
    this.offCommitted = this.source.onCommitted(() => {
      if (this.wakeOnCommit) this.wake?.();
    });
    this.timer = setInterval(() => void this.tick(), this.config.checkIntervalMs);
    this.timer.unref();
    await this.checkBuffer();
    this.running = this.run();
  }

  /** Waits for in-flight acknowledgements (bounded), saves the cursor, disconnects. */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.wake?.();
    if (this.timer) clearInterval(this.timer);
    this.offCommitted?.();
    await this.running;
    await this.persist();
    await this.target.close();
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopping.signal.aborted) {
      try {
        const { lastFeedSeq } = await this.target.resync();
        this.connected = true;
        if (lastFeedSeq !== null && lastFeedSeq > this.source.head()) {
          // The broker has events this hub never wrote: its database was replaced. Skipping would lose new events.
          this.logger.error(
            { target: this.target.name, broker: lastFeedSeq, head: this.source.head() },
            "broker stream holds feed sequences beyond this hub's feed (was the hub database reset?); delivering from the saved cursor",
          );
        } else if (lastFeedSeq !== null && lastFeedSeq > this.acked) {
          this.logger.info(
            { target: this.target.name, acked: this.acked, broker: lastFeedSeq },
            'broker already holds events past the saved cursor; resuming after them',
          );
          this.acked = lastFeedSeq;
          await this.persist();
        }
        await this.pump(() => {
          attempt = 0;
        });
      } catch (err) {
        if (this.stopping.signal.aborted) break;
        attempt++;
        this.connected = false;
        this.lastError = (err as Error).message;
        const delay = backoffDelay(attempt, this.config.backoff.initialMs, this.config.backoff.maxMs);
        this.logger.warn(
          { target: this.target.name, err: this.lastError, attempt, retryInMs: delay, acked: this.acked, backlog: this.backlog() },
          'broker delivery interrupted',
        );
        await this.sleep(delay);
      }
    }
  }

  /** Sends from the cursor with a growing window; returns on stop, throws on the first failed send. */
  private async pump(succeeded: () => void): Promise<void> {
    let sent = this.acked;
    const window = new SendWindow(this.config.maxInFlight, (seq) => {
      this.acked = seq;
      succeeded();
    });
    // Reads run ahead of sends; each is awaited before leaving, so stopping never closes storage under one.
    const read = (after: number) => {
      const p = this.source.read(after, this.config.batchSize);
      p.catch(() => undefined);
      return p;
    };
    let next = read(sent);
    try {
      while (!this.stopping.signal.aborted) {
        let records = await next;
        if (this.skipTo > sent) {
          await window.drain();
          this.acked = Math.max(this.acked, this.skipTo);
          sent = this.acked;
          records = await (next = read(sent));
        }
        if (records.length === 0) {
          await window.drain();
          await this.idle();
          next = read(sent);
          continue;
        }
        sent = records[records.length - 1]!.seq;
        next = read(sent); // prefetch while sending
        for (let i = 0; i < records.length; i++) {
          const r = records[i]!;
          await window.room();
          // Ask for an acknowledgement often enough that the window and the end of a batch are always confirmed.
          const stopNow = this.stopping.signal.aborted;
          const confirm = stopNow || i === records.length - 1 || window.inflight + 1 >= window.size || r.seq % this.config.ackEvery === 0;
          window.add(r.seq, this.target.publish(r, toCloudEventJson(r, this.checkpoint), confirm));
          if (stopNow) break;
        }
      }
      await window.drain();
    } finally {
      await next.catch(() => undefined);
      // Sends still unsettled after a failure fail too; the cursor stays at the last contiguous acknowledgement.
      window.clear();
    }
  }

  private async tick(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      await this.checkBuffer();
      await this.persist();
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'outbox check failed');
    } finally {
      this.checking = false;
    }
  }

  /** Applies the buffer policy: alarm, then stop accepting or drop the oldest undelivered events. */
  private async checkBuffer(): Promise<void> {
    const oldest = this.backlog() > 0 ? (await this.source.read(Math.max(this.acked, this.skipTo), 1))[0] : undefined;
    this.oldestAgeMs = oldest ? Math.max(0, this.now() - Date.parse(oldest.time)) : 0;
    const next = bufferState(this.backlog(), this.oldestAgeMs, this.config.buffer);
    if (next === 'full' && this.config.buffer.whenFull === 'drop-oldest') await this.dropOldest();
    const after = next === 'full' && this.config.buffer.whenFull === 'drop-oldest' ? bufferState(this.backlog(), this.oldestAgeMs, this.config.buffer) : next;
    if (after !== this.buffer) {
      const level = after === 'ok' ? 'info' : after === 'alarm' ? 'warn' : 'error';
      this.buffer = after;
      this.logger[level](
        { target: this.target.name, buffer: after, backlog: this.backlog(), oldestAgeMs: this.oldestAgeMs, policy: this.config.buffer.whenFull },
        'outbox buffer state',
      );
      this.onBufferState?.(after, this.status());
    }
  }

  private async dropOldest(): Promise<void> {
    const { maxEvents, maxAgeMs } = this.config.buffer;
    const head = this.source.head();
    let to = Math.max(this.acked, head - Math.floor(maxEvents * 0.9));
    if (this.oldestAgeMs >= maxAgeMs) {
      const first = await this.state.firstSeqSince(this.acked, new Date(this.now() - maxAgeMs * 0.9).toISOString());
      to = Math.max(to, (first ?? head + 1) - 1);
    }
    if (to <= Math.max(this.acked, this.skipTo)) return;
    const count = to - Math.max(this.acked, this.skipTo);
    this.dropped += count;
    this.skipTo = to;
    this.logger.error(
      { target: this.target.name, fromSeq: this.acked + 1, toSeq: to, count, droppedTotal: this.dropped },
      'outbox buffer full: oldest undelivered events dropped from broker delivery (still in the hub, readable by pull)',
    );
    if (this.wakeOnCommit) this.wake?.();
    const oldest = (await this.source.read(to, 1))[0];
    this.oldestAgeMs = oldest ? Math.max(0, this.now() - Date.parse(oldest.time)) : 0;
  }

  /** Saves the cursor when it moved; saves run one after another so an older value never lands last. */
  private persist(): Promise<void> {
    this.saving = this.saving
      .catch(() => undefined)
      .then(async () => {
        const now = { acked: this.acked, dropped: this.dropped };
        if (now.acked === this.persisted.acked && now.dropped === this.persisted.dropped) return;
        await this.state.save({ ackedSeq: now.acked, dropped: now.dropped });
        this.persisted = now;
      });
    return this.saving;
  }

  private idle(): Promise<void> {
    return this.sleep(this.config.checkIntervalMs, true);
  }

  private sleep(ms: number, wakeOnCommit = false): Promise<void> {
    if (this.stopping.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => this.wake?.(), ms);
      this.wakeOnCommit = wakeOnCommit;
      this.wake = () => {
        clearTimeout(t);
        this.wake = null;
        this.wakeOnCommit = false;
        resolve();
      };
    });
  }
}
