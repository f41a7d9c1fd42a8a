import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { startProgress, type ProgressStream } from '../../src/cli/progress.js';

/** A stream that records what is written to it; a terminal or not. */
function capture(isTTY: boolean): ProgressStream & { text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write: (c: Buffer, _e, cb) => {
      chunks.push(c.toString());
      cb();
    },
  });
  return Object.assign(stream, { isTTY, columns: 100, text: () => chunks.join('') });
}

const strip = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, ''); // eslint-disable-line no-control-regex -- terminal escapes

describe('progress bar of long commands', () => {
  it('writes nothing to a stream that is not a terminal, and print still writes the line', () => {
    const err = capture(false);
    const out = capture(false);
    const p = startProgress({ format: 'working [{bar}] {value}/{total} {file}', total: 10, fields: { file: 'a' }, stream: err });
    p.update(5, { file: 'b' });
    p.setTotal(20);
    p.print('a line', out);
    p.stop();
    assert.equal(err.text(), '');
    assert.equal(out.text(), 'a line\n');
  });

  it('draws on a terminal, and erases itself on stop so the next line starts clean', () => {
    const err = capture(true);
    const out = capture(true); // stdout on the same terminal
    const p = startProgress({ format: 'working [{bar}] {value}/{total} {file}', total: 10, fields: { file: 'a.n42' }, stream: err });
    p.update(4, { file: 'b.n42' });
    const printedAt = err.text().length;
    p.print('day 1: done', out);
    assert.match(strip(err.text()), /working \[.*\] 4\/10 b\.n42/);
    // The bar's line is cleared before the line, and the cursor saved after it, where stop will clear.
    assert.ok(err.text().slice(printedAt).startsWith('\r\x1b[2K\x1b7'), JSON.stringify(err.text().slice(printedAt, printedAt + 20)));
    assert.equal(out.text(), 'day 1: done\n');
    p.stop();
    p.print('last line', out);
    assert.equal(out.text(), 'day 1: done\nlast line\n');
    const written = err.text();
    // cli-progress ends by moving to column 0 and clearing the line: nothing of the bar is left before what follows.
    assert.ok(written.endsWith('\x1b[0K') || written.endsWith('\x1b[2K'), JSON.stringify(written.slice(-40)));
    const before = written.length;
    p.stop();
    p.update(9);
    assert.equal(err.text().length, before, 'a stopped bar stays silent');
  });
});
