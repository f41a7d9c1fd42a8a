import type { FrameEvent, Framer } from './framer.js';

/**
 * Messages ended by a delimiter (a newline, ETX), optionally opened by a start marker (STX): bytes
 * outside start…end are skipped and reported. A message growing past the limit without its delimiter
 * is dropped up to the next delimiter and reported; the stream goes on from there.
 */
export class DelimiterFramer implements Framer {
  private parts: Buffer[] = [];
  private size = 0;
  private overflowing = false;
  private inside: boolean;
  private stray = 0;
  /** The last bytes of the message so far (fewer than the delimiter), even while skipping an oversized one. */
  private carry: Buffer = Buffer.alloc(0);

  constructor(
    private readonly end: Buffer,
    private readonly start: Buffer | null,
    private readonly maxBytes: number,
  ) {
    this.inside = start === null;
  }

  push(chunk: Buffer): FrameEvent[] {
    const out: FrameEvent[] = [];
    let rest = chunk;
    while (rest.length > 0) {
      if (!this.inside) {
        const s = rest.indexOf(this.start!);
        if (s < 0) {
          this.stray += rest.length;
          break;
        }
        this.stray += s;
        if (this.stray > 0)
          out.push({
            type: 'problem',
            fatal: false,
            reason: `${this.stray} byte(s) outside a ${JSON.stringify(this.start!.toString())}…${JSON.stringify(this.end.toString())} frame skipped`,
          });
        this.stray = 0;
        this.inside = true;
        rest = rest.subarray(s + this.start!.length);
        continue;
      }
      // The delimiter may straddle chunks: search from the last bytes held before this chunk.
      const joined = this.carry.length > 0 ? Buffer.concat([this.carry, rest]) : rest;
      const e = joined.indexOf(this.end);
      if (e < 0) {
        this.hold(rest, out);
        break;
      }
      const bodyInRest = e - this.carry.length;
      if (bodyInRest >= 0) this.hold(rest.subarray(0, bodyInRest), out);
      else if (!this.overflowing) this.trim(-bodyInRest);
      if (!this.overflowing) this.emit(out);
      this.parts = [];
      this.size = 0;
      this.carry = Buffer.alloc(0);
      this.overflowing = false;
      this.inside = this.start === null;
      rest = rest.subarray(bodyInRest + this.end.length);
    }
    return out;
  }

  pending(): number {
    return this.overflowing ? 0 : this.size;
  }

  private hold(bytes: Buffer, out: FrameEvent[]): void {
    if (bytes.length === 0) return;
    const keep = this.end.length - 1;
    if (keep > 0) {
      const c = Buffer.concat([this.carry, bytes]);
      this.carry = Buffer.from(c.subarray(Math.max(0, c.length - keep)));
    }
    if (this.overflowing) return;
    if (this.size + bytes.length > this.maxBytes) {
      this.overflowing = true;
      this.parts = [];
      this.size = 0;
      out.push({
        type: 'problem',
        fatal: false,
        reason: `message exceeds the ${this.maxBytes}-byte limit without its delimiter ${JSON.stringify(this.end.toString())}; skipped to the next one`,
      });
      return;
    }
    this.parts.push(Buffer.from(bytes));
    this.size += bytes.length;
  }

  private trim(n: number): void {
    const all = Buffer.concat(this.parts);
    this.parts = [all.subarray(0, all.length - n)];
    this.size -= n;
  }

  private emit(out: FrameEvent[]): void {
    let data = Buffer.concat(this.parts);
    if (this.end.equals(Buffer.from('\n')) && data[data.length - 1] === 0x0d) data = data.subarray(0, data.length - 1);
    if (data.toString('utf8').trim().length > 0) out.push({ type: 'message', data });
  }
}
