import { Transform, type TransformCallback } from 'node:stream';
import type { LineShrinker } from './line-shrinker.js';

/**
 * Passes an image's bytes through unchanged while feeding its whole lines to a LineShrinker, so the
 * preview is made during the download, in one pass, holding one partial line at most.
 */
export class PreviewTap extends Transform {
  private readonly carry: Buffer;
  private carried = 0;

  constructor(
    private readonly shrinker: LineShrinker,
    private readonly lineBytes: number,
  ) {
    super();
    this.carry = Buffer.alloc(lineBytes);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let off = 0;
    if (this.carried > 0) {
      off = Math.min(chunk.length, this.lineBytes - this.carried);
      chunk.copy(this.carry, this.carried, 0, off);
      this.carried += off;
      if (this.carried < this.lineBytes) {
        callback(null, chunk);
        return;
      }
      this.shrinker.push(this.carry, 0);
      this.carried = 0;
    }
    for (; off + this.lineBytes <= chunk.length; off += this.lineBytes) this.shrinker.push(chunk, off);
    this.carried = chunk.copy(this.carry, 0, off);
    callback(null, chunk);
  }

  /** Bytes after the last whole line (an image whose size is not a whole number of lines). */
  get trailingBytes(): number {
    return this.carried;
  }
}
