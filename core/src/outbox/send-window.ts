interface Entry {
  seq: number;
  done: Promise<void>;
  result: Error | null | undefined;
}

/**
 * The bounded, growing window of sends awaiting acknowledgement. It starts at one and grows by one per
 * acknowledgement up to `max` (so a replay starts on the first successful send). Settled sends are taken
 * synchronously, in order, so a burst of acknowledgements frees a burst of room and the next sends go out
 * together instead of one per event-loop turn.
 */
export class SendWindow {
  size = 1;
  private entries: Entry[] = [];

  constructor(
    private readonly max: number,
    private readonly onAck: (seq: number) => void,
  ) {}

  get inflight(): number {
    return this.entries.length;
  }

  add(seq: number, sent: Promise<void>): void {
    const e: Entry = { seq, done: Promise.resolve(), result: undefined };
    e.done = sent.then(
      () => {
        e.result = null;
      },
      (err: Error) => {
        e.result = err;
      },
    );
    this.entries.push(e);
  }

  /** Resolves when one more send fits; throws the first failed send (the window is then empty). */
  async room(): Promise<void> {
    this.take();
    while (this.entries.length >= this.size) {
      await this.entries[0]!.done;
      this.take();
    }
  }

  /** Resolves when every send was acknowledged; throws the first failure. */
  async drain(): Promise<void> {
    this.take();
    while (this.entries.length > 0) {
      await this.entries[0]!.done;
      this.take();
    }
  }

  clear(): void {
    this.entries = [];
  }

  private take(): void {
    while (this.entries.length > 0 && this.entries[0]!.result !== undefined) {
      const e = this.entries.shift()!;
      if (e.result) {
        this.entries = [];
        throw e.result;
      }
      this.onAck(e.seq);
      if (this.size < this.max) this.size++;
    }
  }
}
