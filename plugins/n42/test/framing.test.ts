import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestHarness } from '@customs-hub/sdk/testing';
import type { N42Config } from '../src/config.js';
import { plugin } from '../src/index.js';
import { parseDocuments } from '../src/n42/parse.js';
import { DEFAULT_READ_OPTIONS } from '../src/n42/read-options.js';
import { doc2011, freePort, GROSS_BODY, ofKind, readThroughPlugin, SAMPLES, tempDir } from './helpers.js';

const STX = '\x02';
const ETX = '\x03';

/** Sends bytes on a fresh connection in small chunks (framing bytes land anywhere), then closes it. */
async function send(port: number, bytes: Buffer): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  for (let i = 0; i < bytes.length; i += 53) socket.write(bytes.subarray(i, i + 53));
  await new Promise<void>((resolve) => socket.end(resolve));
  await new Promise<void>((resolve) => {
    socket.once('close', () => resolve());
    socket.resume();
  });
}

describe('n42 STX/ETX framing (Radiation Solutions RS-350 style streams)', () => {
  const a = readFileSync(join(SAMPLES, 'nist-annex-h.n42'), 'utf8');
  const b = readFileSync(join(SAMPLES, 'nist-annex-f.n42'), 'utf8');

  it('ingests every framed document of a stream; a frame closed early and a dropped tail are reported with their byte offsets', async () => {
    const port = await freePort();
    const h = new TestHarness<N42Config>(plugin, { config: { listenPort: port } });
    await h.start();
    try {
      const early = b.slice(0, 700);
      const tail = a.slice(0, 333);
      const stream = `${STX}${a}${ETX}\r\n${STX}${early}${ETX}${STX}${b}${ETX}${STX}${tail}`;
      await send(port, Buffer.from(stream));
      await h.waitFor(() => h.statuses.some((s) => /ended inside a document/.test(s.detail)), 5000, 'the dropped tail');
      await h.waitFor(() => ofKind(h.observations, 'radiation.dose-rate').length === 3, 5000, 'the third document');
      assert.deepEqual(
        ofKind(h.observations, 'radiation.gross-count').map((g) => g.payload.counts),
        [4, 2],
        'first document (annex H) whole',
      );
      assert.deepEqual(
        ofKind(h.observations, 'radiation.dose-rate').map((d) => d.payload.doseRateUSvH),
        [10.2, 10.0, 10.4],
        'third document (annex F) whole',
      );
      const failures = h.statuses.filter((s) => s.type === 'failure').map((s) => s.detail);
      assert.equal(failures.length, 2, failures.join('\n'));
      const earlyAt = Buffer.byteLength(`${STX}${a}${ETX}\r\n${STX}`);
      assert.match(
        failures[0]!,
        new RegExp(`document 2 \\(from byte ${earlyAt}, 700 bytes\\) is cut off: its frame closed \\(ETX\\) before the closing root tag; not ingested$`),
      );
      const tailAt = Buffer.byteLength(stream) - Buffer.byteLength(tail);
      assert.match(failures[1]!, new RegExp(`connection ended inside a document; document 4 \\(from byte ${tailAt}, 333 bytes\\)`));
      assert.deepEqual(h.rejected, []);
    } finally {
      await h.stop();
    }
  });

  it('reads a file captured from a framed stream, offsets counted in bytes past multi-byte characters', async () => {
    const named = doc2011(GROSS_BODY.replace('<RealTimeDuration>', '<Remark>Übergang Świecko — 東</Remark><RealTimeDuration>'));
    const path = join(tempDir('framed'), 'capture.n42');
    writeFileSync(path, `${STX}${named}${ETX}${STX}${a}${ETX}${STX}${b.slice(0, 500)}`);
    const obs = await readThroughPlugin(path);
    assert.deepEqual(
      ofKind(obs, 'radiation.gross-count').map((g) => g.payload.counts),
      [7, 4, 2],
    );
    const read = parseDocuments(readFileSync(path, 'utf8'), 'capture.n42', DEFAULT_READ_OPTIONS);
    assert.equal(read.docs.length, 2);
    assert.equal(read.cut!.offset, Buffer.byteLength(`${STX}${named}${ETX}${STX}${a}${ETX}${STX}`));
    assert.equal(
      readFileSync(path)
        .subarray(read.cut!.offset, read.cut!.offset + 5)
        .toString(),
      b.slice(0, 5),
      'the offset points at the cut document in the file',
    );
  });

  it('puts a file with a cut-off last document in done/ with its warning; the whole documents are stored', async () => {
    const dir = tempDir('cut-folder');
    const h = new TestHarness<N42Config>(plugin, { config: { watchDir: dir, pollMs: 30 } });
    await h.start();
    try {
      writeFileSync(join(dir, 'capture.n42'), `${a}\n${b.slice(0, 400)}`);
      await h.waitFor(() => h.statuses.some((s) => s.type === 'failure' && /capture\.n42/.test(s.detail)), 5000, 'the file handled');
      assert.deepEqual(
        ofKind(h.observations, 'radiation.gross-count').map((g) => g.payload.counts),
        [4, 2],
      );
      const note = readFileSync(join(dir, 'done', 'capture.n42.warnings.txt'), 'utf8');
      assert.match(
        note,
        new RegExp(
          `^capture\\.n42 document 2 \\(from byte ${Buffer.byteLength(`${a}\n`)}, 400 bytes\\) is cut off: the input ended before its closing root tag`,
        ),
      );
      assert.match(h.statuses.at(-1)!.detail, /^capture\.n42: 3 observation\(s\); capture\.n42 document 2/);
    } finally {
      await h.stop();
    }
  });

  it('refuses a file whose only document is cut, naming where the XML broke', async () => {
    const path = join(tempDir('cut-only'), 'cut.n42');
    writeFileSync(path, `${STX}${a.slice(0, 600)}${ETX}`);
    await assert.rejects(readThroughPlugin(path), (err: Error & { reason?: string }) => /^cut\.n42:\d+:\d+: /.test(err.reason ?? ''));
  });
});
