import assert from 'node:assert/strict';
import type { RadiationPassagePayload } from '@customs-hub/sdk';
import { parseSse, toFeedItem } from '../../console/src/logic/sse.js';
import { passageTraces } from '../../console/src/logic/passage-samples.js';
import { rawU16Thumbnail } from '../../console/src/logic/raw-u16-thumbnail.js';

// The console's logic that does not need a browser, run in Node.
describe('console logic', () => {
  it('parses SSE across chunk boundaries, skipping comments and keeping the unfinished tail', () => {
    const events: Array<{ id: string | null; event: string; data: string }> = [];
    let tail = parseSse('retry: 2000\n\n: keep-alive\n\nid: 7\nevent: customs.observation.v1\ndata: {"a"', (e) => events.push(e));
    assert.equal(events.length, 0);
    tail = parseSse(`${tail}:1}\n\nid: 8\r\ndata: line1\r\ndata: line2\r\n\r\nid: 9\n`, (e) => events.push(e));
    assert.deepEqual(events, [
      { id: '7', event: 'customs.observation.v1', data: '{"a":1}' },
      { id: '8', event: 'message', data: 'line1\nline2' },
    ]);
    assert.equal(tail, 'id: 9\n');
  });

  it('unwraps CloudEvents by the schema of their data', () => {
    const obs = { schema: 'observation/v1', id: 'o1', kind: 'weight' };
    assert.deepEqual(toFeedItem(0, 'x', { type: 'customs.observation.v1', seq: 12, data: obs }), { seq: 12, type: 'observation', observation: obs });
    const status = { schema: 'device-status/v1', deviceId: 'D' };
    assert.equal(toFeedItem(3, 'customs.device.status.v1', status).type, 'device-status', 'bare data works too');
    const c = { schema: 'inspection-case/v1', id: 'c1' };
    assert.deepEqual(toFeedItem(5, 'customs.case.scored.v1', { type: 'customs.case.scored.v1', seq: 5, data: c }), { seq: 5, type: 'case', case: c });
    assert.deepEqual(toFeedItem(6, 'e', { type: 'customs.other.v1', seq: 6, data: { n: 1 } }), {
      seq: 6,
      type: 'other',
      eventType: 'customs.other.v1',
      data: { n: 1 },
    });
  });

  it('turns passage samples into count rates against background and the ~1 s threshold', () => {
    const csv = 't_s,channel,state,p1,p2,p3,p4\n0.200,G,ok,10,10,10,20\n0.400,G,ok,30,10,10,10\n0.400,W,windows,5,6\n1.000,N,ok,1,0,2,0\n2.000,N,ok,0,0,0,0\n';
    const payload = {
      sampleIntervalS: 0.2,
      gamma: { panels: [], background: [10, 10, 10, 10], maxSigma: 1, threshold: 8 },
      neutron: { panels: [], background: [0.5, 0.5, 0.25, 0.25], maxSigma: 1, threshold: 10 },
    } as unknown as RadiationPassagePayload;
    const { gamma, neutron } = passageTraces(csv, payload);
    assert.deepEqual(gamma!.t, [0.2, 0.4]);
    assert.deepEqual(gamma!.cps, [250, 300]);
    assert.equal(gamma!.background, 200);
    // 5 samples of 40 background counts: (200 + 8·√200) counts over 1 s.
    assert.ok(Math.abs(gamma!.threshold! - (200 + 8 * Math.sqrt(200))) < 1e-9);
    assert.deepEqual(neutron!.cps, [3, 0]);
    assert.equal(neutron!.background, 1.5);
    assert.equal(neutron!.threshold, 10);
    assert.equal(passageTraces('t_s,channel,state,p1\n', payload).gamma, null, 'no samples, no chart');
  });

  it('decimates a raw 16-bit image into a transposed thumbnail, whatever the chunking', async () => {
    const width = 8,
      lines = 6;
    const bytes = new Uint8Array(width * lines * 2);
    const view = new DataView(bytes.buffer);
    for (let l = 0; l < lines; l++) for (let p = 0; p < width; p++) view.setUint16((l * width + p) * 2, (l * 16 + p) * 256, true);
    // Chunks of 5 bytes: rows and even pixels straddle chunk edges.
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 5) chunks.push(bytes.slice(i, i + 5));
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (const ch of chunks) c.enqueue(ch);
        c.close();
      },
    });
    const t = await rawU16Thumbnail(body, width, { sizeBytes: bytes.length, targetHeight: 4, targetWidth: 3 });
    assert.deepEqual([t.width, t.height, t.lineStep, t.pixelStep], [3, 4, 2, 2]);
    // Thumbnail (x, y) is line x·2, detector pixel y·2: grey level (line·16 + pixel).
    const grey = (x: number, y: number) => t.pixels[(y * t.width + x) * 4];
    assert.equal(grey(0, 0), 0);
    assert.equal(grey(1, 0), 32);
    assert.equal(grey(2, 3), 4 * 16 + 6);
    assert.equal(t.pixels[3], 255, 'opaque');
  });
});
