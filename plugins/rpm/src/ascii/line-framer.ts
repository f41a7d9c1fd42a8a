/**
 * Splits a TCP byte stream into lines, whatever the chunking: a line may arrive in pieces or
 * several in one chunk. CR, LF and CRLF all end a line. A line longer than maxLength is cut off and
 * reported once, and the rest of it (up to the next line end) is skipped.
 */
export class LineFramer {
  private buffer = '';
  private overflowing = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onOverflow: (head: string) => void,
    private readonly maxLength = 512,
  ) {}

  push(chunk: Buffer | string): void {
    const text = this.buffer + (typeof chunk === 'string' ? chunk : chunk.toString('latin1'));
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.deliver(text.slice(start, i));
      start = i + 1;
    }
    this.buffer = text.slice(start);
    if (this.buffer.length > this.maxLength) {
      if (!this.overflowing) this.onOverflow(this.buffer.slice(0, 40));
      this.overflowing = true;
      this.buffer = '';
    }
  }

  /** Drops a partial line (the connection it came from is gone). */
  reset(): void {
    this.buffer = '';
    this.overflowing = false;
  }

  private deliver(line: string): void {
    if (this.overflowing) {
      this.overflowing = false; // the tail of an over-long line
      return;
    }
    if (line.length > 0) this.onLine(line);
  }
}
