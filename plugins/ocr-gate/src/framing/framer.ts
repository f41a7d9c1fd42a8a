import type { FramingConfig } from '../config.js';
import { DelimiterFramer } from './delimiter-framer.js';
import { LengthFramer } from './length-framer.js';

/**
 * What a framer cuts out of the byte stream: a message, or a problem. A problem that is not fatal
 * (an oversized frame skipped) leaves the stream usable; a fatal one means the stream cannot be
 * resynchronized (wrong framing) and the connection is closed.
 */
export type FrameEvent = { type: 'message'; data: Buffer } | { type: 'problem'; reason: string; fatal: boolean };

export interface Framer {
  push(chunk: Buffer): FrameEvent[];
  /** Bytes of an incomplete message still held (reported when the connection ends). */
  pending(): number;
}

export const DEFAULT_FRAMING: FramingConfig = { type: 'delimiter', end: '\n' };

export function createFramer(config: FramingConfig | undefined, maxBytes: number): Framer {
  const c = config ?? DEFAULT_FRAMING;
  return c.type === 'length'
    ? new LengthFramer(c.headerBytes ?? 4, c.byteOrder ?? 'big', maxBytes)
    : new DelimiterFramer(Buffer.from(c.end ?? '\n', 'utf8'), c.start === undefined ? null : Buffer.from(c.start, 'utf8'), maxBytes);
}

/** How a framing config reads in a status line. */
export function describeFraming(config: FramingConfig | undefined): string {
  const c = config ?? DEFAULT_FRAMING;
  return c.type === 'length'
    ? `${c.headerBytes ?? 4}-byte ${c.byteOrder ?? 'big'}-endian length header`
    : `delimiter ${JSON.stringify(c.end ?? '\n')}${c.start ? ` after start ${JSON.stringify(c.start)}` : ''}`;
}
