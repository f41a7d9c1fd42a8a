import assert from 'node:assert/strict';
import { createFramer, type FrameEvent } from '../src/framing/framer.js';
import { frame } from '../src/simulator/encode.js';

const texts = (events: FrameEvent[]) => events.map((e) => (e.type === 'message' ? e.data.toString() : `!${e.fatal ? 'fatal' : 'skip'}: ${e.reason}`));
/** Feeds bytes one chunk of `size` at a time, as TCP may cut them. */
function feed(framer: ReturnType<typeof createFramer>, bytes: Buffer, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(...texts(framer.push(bytes.subarray(i, i + size))));
  return out;
}

describe('ocr-gate: framing', () => {
  it('cuts length-prefixed messages (2 and 4 bytes, both byte orders) however the stream is chunked', () => {
    for (const f of [
      { type: 'length', headerBytes: 4, byteOrder: 'big' },
      { type: 'length', headerBytes: 2, byteOrder: 'little' },
    ] as const) {
      const bytes = Buffer.concat([frame('{"a":1}', f), frame('<x/>', f), frame('{"b":2}', f)]);
      for (const size of [1, 3, 7, bytes.length])
        assert.deepEqual(feed(createFramer(f, 1024), bytes, size), ['{"a":1}', '<x/>', '{"b":2}'], `${f.headerBytes} bytes, chunks of ${size}`);
    }
  });

  it('skips an oversized length-prefixed frame and goes on with the next', () => {
    const f = { type: 'length', headerBytes: 4 } as const;
    const big = 'x'.repeat(3000);
    const out = feed(createFramer(f, 1024), Buffer.concat([frame(big, f), frame('{"ok":1}', f)]), 500);
    assert.deepEqual(out, ['!skip: message of 3000 bytes exceeds the 1024-byte limit; skipped', '{"ok":1}']);
  });

  it('calls text where a length header belongs wrong framing (fatal: the stream cannot be resynchronized)', () => {
    const out = feed(createFramer({ type: 'length' }, 1024), Buffer.from('{"type":"NEW"}\n'), 100);
    assert.equal(out.length, 1);
    assert.match(out[0]!, /^!fatal: wrong framing: expected a 4-byte length header, got "\{\\"ty" \(the gate seems to send delimiter-framed text\)/);
  });

  it('cuts delimiter-framed messages with a multi-byte delimiter straddling chunks, and CRLF lines', () => {
    const f = { type: 'delimiter', end: '\r\n\r\n' } as const;
    assert.deepEqual(feed(createFramer(f, 1024), Buffer.from('{"a":1}\r\n\r\n{"b":2}\r\n\r\n'), 1), ['{"a":1}', '{"b":2}']);
    assert.deepEqual(feed(createFramer({ type: 'delimiter' }, 1024), Buffer.from('{"a":1}\r\n\n\n{"b":2}\n'), 4), ['{"a":1}', '{"b":2}']);
  });

  it('skips bytes outside STX…ETX frames, with a report', () => {
    const f = { type: 'delimiter', start: '\u0002', end: '\u0003' } as const;
    assert.deepEqual(feed(createFramer(f, 1024), Buffer.from('junk\u0002{"a":1}\u0003\u0002{"b":2}\u0003'), 5), [
      '!skip: 4 byte(s) outside a "\\u0002"…"\\u0003" frame skipped',
      '{"a":1}',
      '{"b":2}',
    ]);
  });

  it('drops a message that outgrows the limit without its delimiter, up to the next delimiter', () => {
    const framer = createFramer({ type: 'delimiter' }, 100);
    const out = feed(framer, Buffer.from(`${'y'.repeat(500)}\n{"ok":1}\n`), 64);
    assert.deepEqual(out, ['!skip: message exceeds the 100-byte limit without its delimiter "\\n"; skipped to the next one', '{"ok":1}']);
    assert.equal(framer.pending(), 0);
  });
});
