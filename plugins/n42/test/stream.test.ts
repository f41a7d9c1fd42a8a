import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestHarness } from '@customs-hub/sdk/testing';
import { plugin } from '../src/index.js';
import type { N42Config } from '../src/config.js';
import { passageDocument, type PassageTruth } from '../src/simulator/passage.js';
import { seededRandom } from '@customs-hub/sdk';
import { startN42Simulator } from '../src/simulator/simulator.js';
import { doc2011, freePort, GROSS_BODY, ofKind, quietLogger, SAMPLES } from './helpers.js';

/** Writes text on a fresh connection and closes it; resolves once the server has seen the end. */
async function sendRaw(port: number, text: string): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  await new Promise<void>((resolve) => socket.end(text, resolve));
  await new Promise<void>((resolve) => {
    socket.once('close', () => resolve());
    socket.resume();
  });
}

describe('n42 TCP stream', () => {
  let port: number;
  let h: TestHarness<N42Config>;
  beforeEach(async () => {
    port = await freePort();
    h = new TestHarness(plugin, { config: { listenPort: port, pollMs: 50 } });
    await h.start();
  });
  afterEach(async () => {
    await h.stop();
  });

  it("ingests the simulator's passages streamed back to back, matching what the simulator generated", async () => {
    const sim = await startN42Simulator({ port, intervalS: 0.05, seed: 11 }, quietLogger);
    try {
      await h.waitFor(() => ofKind(h.observations, 'radiation.dose-rate').length >= 4, 5000, '4 passages');
    } finally {
      await sim.stop();
    }
    // Regenerate the same passages from the seed: the generator's own record of what it sent.
    const rand = seededRandom(11);
    const truths: PassageTruth[] = Array.from({ length: 4 }, (_, n) => passageDocument(rand, n, new Date()).truth);
    truths.forEach((truth, n) => {
      const docObs = h.observations.filter((o) => o.sourceId!.startsWith(`${truth.uuid}/`));
      assert.equal(ofKind(docObs, 'radiation.dose-rate')[0]!.payload.doseRateUSvH, truth.doseRateUSvH, `passage ${n}`);
      assert.ok(docObs.every((o) => o.conveyance.containers[0]!.number === truth.container && o.conveyance.containers[0]!.valid));
      const counts = ofKind(docObs, 'radiation.gross-count');
      assert.equal(counts.filter((c) => c.payload.occupied).length, truth.slices * 3);
      const nid = ofKind(docObs, 'radiation.nuclide-id');
      if (truth.source) {
        assert.deepEqual(nid[0]!.payload.nuclides, [
          { name: truth.source.nuclide, category: truth.source.category, confidence: truth.source.confidencePct / 100 },
        ]);
        assert.ok(counts.filter((c) => c.payload.occupied).every((c) => c.alarms.length === 1));
      } else {
        assert.equal(nid.length, 0);
      }
    });
    assert.equal(new Set(h.observations.map((o) => o.sourceId)).size, h.observations.length);
    assert.deepEqual(h.rejected, []);
  });

  it('skips a bad document in the middle of a stream with a reason, keeps the others, and reports a truncated tail', async () => {
    const a = readFileSync(join(SAMPLES, 'nist-annex-h.n42'), 'utf8');
    const bad = doc2011(GROSS_BODY.replace('<CountData>7', '<CountData>seven'));
    const b = readFileSync(join(SAMPLES, 'nist-annex-f.n42'), 'utf8');
    const tail = '<RadInstrumentData xmlns="http://physics.nist.gov/N42/2011/N42"><RadMeasurement>';
    await sendRaw(port, `${a}${bad}\r\n${b}${tail}`);
    await h.waitFor(
      () => ofKind(h.observations, 'radiation.dose-rate').length === 3 && h.statuses.some((s) => /ended inside a document/.test(s.detail)),
      5000,
      'stream handled',
    );
    assert.deepEqual(
      ofKind(h.observations, 'radiation.gross-count').map((g) => g.payload.counts),
      [4, 2],
    );
    const failures = h.statuses.filter((s) => s.type === 'failure').map((s) => s.detail);
    assert.equal(failures.length, 2);
    assert.match(
      failures[0]!,
      new RegExp(`^127\\.0\\.0\\.1:\\d+ document 2 \\(from byte ${Buffer.byteLength(a)}\\) rejected: CountData \\(line 5\\): 'seven' is not a number$`),
    );
    const cutAt = Buffer.byteLength(`${a}${bad}\r\n${b}`);
    assert.match(
      failures[1]!,
      new RegExp(
        `connection ended inside a document; document 4 \\(from byte ${cutAt}, ${tail.length} bytes\\) is cut off: the input ended before its closing root tag`,
      ),
    );
  });

  it('splits documents whatever the chunking', async () => {
    const text = readFileSync(join(SAMPLES, 'nist-annex-h.n42'), 'utf8') + readFileSync(join(SAMPLES, 'nist-annex-l.n42'), 'utf8');
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    for (let i = 0; i < text.length; i += 97) socket.write(text.slice(i, i + 97));
    socket.end();
    await h.waitFor(() => ofKind(h.observations, 'radiation.gross-count').length === 4, 5000, 'both documents');
    assert.deepEqual(
      ofKind(h.observations, 'radiation.gross-count').map((g) => g.payload.counts),
      [4, 2, 4, 2],
    );
  });

  it('spools a streamed document the hub could not store and ingests it from the spool', async () => {
    h.failEmits(1);
    await sendRaw(port, readFileSync(join(SAMPLES, 'nist-annex-f.n42'), 'utf8'));
    await h.waitFor(() => ofKind(h.observations, 'radiation.dose-rate').length === 3, 5000, 'spooled document ingested');
    assert.match(h.statuses.find((s) => s.type === 'failure')!.detail, /document 1: storage unavailable .*; document spooled for retry$/);
    assert.deepEqual(
      ofKind(h.observations, 'radiation.dose-rate').map((d) => d.payload.doseRateUSvH),
      [10.2, 10.0, 10.4],
    );
    assert.equal(h.observations.length, 4);
  });

  it('drops a connection whose document outgrows the size limit', async () => {
    await h.stop();
    h = new TestHarness(plugin, { config: { listenPort: port, maxDocumentBytes: 4096 } });
    await h.start();
    await sendRaw(port, `<RadInstrumentData xmlns="http://physics.nist.gov/N42/2011/N42">${'<Remark>x</Remark>'.repeat(400)}`);
    await h.waitFor(() => h.statuses.some((s) => s.type === 'failure'), 5000, 'failure');
    assert.match(
      h.statuses.find((s) => s.type === 'failure')!.detail,
      /document exceeds the 4096-byte limit without a closing root tag \(\d+ bytes buffered\); connection closed/,
    );
    assert.equal(h.observations.length, 0);
  });

  it('closes its listener and open connections when stopped', async () => {
    const client = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => client.once('connect', resolve));
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.resume();
    await h.stop();
    await closed;
    const refused = connect(port, '127.0.0.1');
    await assert.rejects(
      new Promise((resolve, reject) => {
        refused.once('connect', resolve);
        refused.once('error', reject);
      }),
      /ECONNREFUSED/,
    );
  });

  it('reports a port it cannot bind as a fault', async () => {
    const h2 = new TestHarness(plugin, { config: { listenPort: port } });
    await h2.start();
    await h2.stop();
    assert.match(h2.statuses.find((s) => s.type === 'fault')!.detail, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`));
  });
});
