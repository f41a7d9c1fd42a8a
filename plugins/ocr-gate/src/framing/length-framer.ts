import type { FrameEvent, Framer } from './framer.js';

/** True when the bytes read as the start of a JSON or XML message: the sender is not length-framing. */
function looksLikeText(header: Buffer): boolean {
  const s = header.toString('latin1');
  return /^[\s{<]/.test(s) && /^[\x20-\x7e\r\n\t]+$/.test(s);
}

/**
 * Messages preceded by a 2- or 4-byte unsigned length (big- or little-endian), header not counted.
 * An oversized frame is skipped by its length and reported; a header that reads as text means the
 * gate frames otherwise, which cannot be recovered from, so it is fatal.
 */
export class LengthFramer implements Framer {
  private buffer: Buffer = Buffer.alloc(0);
  private skipping = 0;

  constructor(
    private readonly headerBytes: 2 | 4,
    private readonly order: 'big' | 'little',
    private readonly maxBytes: number,
  ) {}

  push(chunk: Buffer): FrameEvent[] {
    const out: FrameEvent[] = [];
    if (this.skipping > 0) {
      const n = Math.min(this.skipping, chunk.length);
      this.skipping -= n;
      chunk = chunk.subarray(n);
    }
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length >= this.headerBytes) {
      const header = this.buffer.subarray(0, this.headerBytes);
      const length =
        this.headerBytes === 2
          ? this.order === 'big'
            ? header.readUInt16BE(0)
            : header.readUInt16LE(0)
          : this.order === 'big'
            ? header.readUInt32BE(0)
            : header.readUInt32LE(0);
      if (length > this.maxBytes && looksLikeText(header)) {
        out.push({
          type: 'problem',
          fatal: true,
          reason: `wrong framing: expected a ${this.headerBytes}-byte length header, got ${JSON.stringify(header.toString('latin1'))} (the gate seems to send delimiter-framed text)`,
        });
        this.buffer = Buffer.alloc(0);
        return out;
      }
      if (length > this.maxBytes) {
        const body = this.buffer.length - this.headerBytes;
        this.skipping = Math.max(0, length - body);
        this.buffer = this.buffer.subarray(this.headerBytes + Math.min(length, body));
        out.push({ type: 'problem', fatal: false, reason: `message of ${length} bytes exceeds the ${this.maxBytes}-byte limit; skipped` });
        if (this.skipping > 0) return out;
        continue;
      }
      if (this.buffer.length < this.headerBytes + length) break;
      const data = Buffer.from(this.buffer.subarray(this.headerBytes, this.headerBytes + length));
      this.buffer = this.buffer.subarray(this.headerBytes + length);
      if (length > 0) out.push({ type: 'message', data });
    }
    return out;
  }

  pending(): number {
    return this.buffer.length + this.skipping;
  }
}
