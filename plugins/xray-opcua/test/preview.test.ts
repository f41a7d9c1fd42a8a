import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { PNG } from 'pngjs';
import type { Observation } from '@customs-hub/sdk';
import { directoryRawStore, rawFilePath, TestHarness } from '@customs-hub/sdk/testing';
import { plugin, type XraySimulator } from '../src/index.js';
import { LineShrinker } from '../src/preview/line-shrinker.js';
import { planPreview, type PreviewJob } from '../src/preview/preview.js';
import { configFor, startSimulator } from './helpers.js';

const U16LE = { bytesPerSample: 2, littleEndian: true } as const;

/** Streams bytes through a preview job in chunks of the given sizes (cycled), as a download would arrive. */
async function feed(job: PreviewJob, bytes: Buffer, chunkSizes: number[]): Promise<void> {
  const chunks: Buffer[] = [];
  for (let off = 0, i = 0; off < bytes.length; i++) {
    const n = chunkSizes[i % chunkSizes.length]!;
    chunks.push(bytes.subarray(off, off + n));
    off += n;
  }
  await pipeline(Readable.from(chunks), job.tap, new Writable({ write: (_c, _e, cb) => cb() }));
}

/** An image of `lines` lines of `columns` 16-bit samples: sample = f(line, column). */
function buildImage(columns: number, lines: number, f: (line: number, col: number) => number, littleEndian = true): Buffer {
  const buf = Buffer.alloc(columns * lines * 2);
  for (let l = 0; l < lines; l++) {
    for (let c = 0; c < columns; c++) {
      if (littleEndian) buf.writeUInt16LE(f(l, c), (l * columns + c) * 2);
      else buf.writeUInt16BE(f(l, c), (l * columns + c) * 2);
    }
  }
  return buf;
}

describe('xray-opcua: image previews', () => {
  it('averages factor × factor blocks and lays lines left to right, detector pixels top to bottom', () => {
    // 5 detector pixels, 3 lines, at most 2 px a side: factor 3, so 1 × 2 output (lines across, pixels down).
    const s = new LineShrinker(5, 3, 2, U16LE);
    assert.equal(s.factor, 3);
    const img = buildImage(5, 3, (l, c) => 100 * l + c);
    for (let l = 0; l < 3; l++) s.push(img, l * 10);
    const out = s.finish();
    assert.deepEqual([out.width, out.height], [1, 2]);
    // Block of pixels 0..2 over lines 0..2: mean of 100l + c = 100 + 1; block of pixels 3..4 (partial): 100 + 3.5 → 104.
    assert.deepEqual([...out.pixels], [101, 104]);
  });

  it('gives the same preview whatever the chunks the image arrives in, big-endian too', async () => {
    const columns = 300,
      lines = 500;
    const f = (l: number, c: number) => (l * 131 + c * 17) % 65536;
    const results: number[][] = [];
    for (const [endian, chunks] of [
      ['le', [4096]],
      ['le', [7, 1, 999, 601]],
      ['be', [333]],
    ] as const) {
      const job = planPreview({ format: `raw-u16${endian}`, widthPx: columns, heightPx: lines });
      assert.ok('tap' in job);
      await feed(job, buildImage(columns, lines, f, endian === 'le'), [...chunks]);
      const rawDir = mkdtempSync(join(tmpdir(), 'xray-preview-'));
      const preview = await job.finish(directoryRawStore(rawDir), 'scan');
      const full = PNG.sync.read(readFileSync(rawFilePath(rawDir, preview.refs[0]!.sha256)));
      assert.deepEqual([full.width, full.height], [lines, columns], 'small enough to keep every pixel, transposed');
      assert.deepEqual(
        preview.refs.map((r) => r.role),
        ['preview', 'thumbnail'],
      );
      results.push([...full.data.filter((_, i) => i % 4 === 0)]);
    }
    assert.deepEqual(results[1], results[0]);
    assert.deepEqual(results[2], results[0]);
  });

  it('crops to the lines that came and says so; stores nothing it cannot decode, with the reason', async () => {
    const job = planPreview({ format: 'raw-u16le', widthPx: 10, heightPx: 8 });
    assert.ok('tap' in job);
    await feed(job, Buffer.concat([buildImage(10, 5, () => 1000), Buffer.alloc(3)]), [64]);
    const rawDir = mkdtempSync(join(tmpdir(), 'xray-preview-'));
    const preview = await job.finish(directoryRawStore(rawDir), 'short');
    assert.equal(preview.lines, 5);
    assert.equal(preview.note, 'the image has 5 lines, 8 were announced; 3 bytes after the last whole line');
    assert.equal(PNG.sync.read(readFileSync(rawFilePath(rawDir, preview.refs[0]!.sha256))).width, 5);

    assert.deepEqual(planPreview({ format: 'tiff', widthPx: 10, heightPx: 8 }), {
      reason: "image format 'tiff' is not decoded (raw-u16le, raw-u16be, raw-u8 are)",
    });
    assert.deepEqual(planPreview({ format: 'raw-u16le', heightPx: 8 }), { reason: 'the scanner announced no ImageWidth' });
    assert.deepEqual(planPreview({ format: 'raw-u8', widthPx: 8 }), { reason: 'the scanner announced neither ImageHeight nor ImageSize' });
  });

  describe('through the driver, against the simulator', function () {
    this.timeout(30000);
    let sim: XraySimulator;
    let h: TestHarness<unknown>;
    before(async () => {
      sim = await startSimulator({ imageMb: 0.5 });
    });
    after(async () => {
      await sim.stop();
    });
    beforeEach(async () => {
      h = new TestHarness(plugin, { config: configFor(sim), dataDir: mkdtempSync(join(tmpdir(), 'xray-preview-')) });
      await h.start();
      await h.waitFor(() => h.statuses.some((s) => s.detail.startsWith('connected')), 10000, 'connection');
    });
    afterEach(async () => {
      await h.stop();
    });

    it("stores a full view and a thumbnail beside the image whose pixels are the image's own, through the recorded window", async () => {
      const scan = await sim.scan({ findings: true });
      await h.waitFor(() => h.observations.some((o) => o.sourceId === scan.scanId), 10000, 'the scan');
      const obs = h.observations.find((o) => o.sourceId === scan.scanId) as Observation<'xray.scan'>;
      assert.deepEqual(
        obs.raw!.map((r) => [r.role, r.contentType ?? null]),
        [
          ['xray-image', null],
          ['preview', 'image/png'],
          ['thumbnail', 'image/png'],
        ],
      );
      assert.deepEqual(obs.quality, { status: 'good' });
      const ext = (obs.extensions as { 'xray-opcua': { preview: { transposed: boolean; scale: number; window: { low: number; high: number } } } })['xray-opcua']
        .preview;
      assert.equal(ext.transposed, true);
      assert.equal(ext.scale, 1);
      const lines = scan.imageSize / 4096;
      const rawDir = join(h.dataDir, 'raw');
      const full = PNG.sync.read(readFileSync(rawFilePath(rawDir, obs.raw![1]!.sha256)));
      const thumb = PNG.sync.read(readFileSync(rawFilePath(rawDir, obs.raw![2]!.sha256)));
      assert.deepEqual([full.width, full.height], [lines, 2048]);
      assert.deepEqual([thumb.width, thumb.height], [Math.ceil(lines / 8), 256]);
      // The original, read straight from the raw store: line l, detector pixel c is full view pixel (x = l, y = c).
      const image = readFileSync(rawFilePath(rawDir, scan.imageSha256));
      const { low, high } = ext.window;
      assert.ok(high > low);
      let checked = 0;
      const spread = new Set<number>();
      for (let l = 1; l < lines; l += 13) {
        for (let c = 0; c < 2048; c += 101) {
          const v = image.readUInt16LE((l * 2048 + c) * 2);
          const expected = Math.min(255, Math.max(0, ((v - low) / (high - low)) * 255));
          const shown = full.data[(c * lines + l) * 4]!;
          assert.ok(Math.abs(shown - expected) <= 1, `line ${l}, pixel ${c}: ${v} shows ${shown}, expected ${expected.toFixed(1)}`);
          spread.add(shown);
          checked++;
        }
      }
      assert.ok(checked > 100 && spread.size > 20, `a real picture: ${checked} pixels checked, ${spread.size} grey levels`);
    });

    it('stores an image of a format it cannot decode without a preview, saying why, and keeps the scan good', async () => {
      await h.stop();
      h = new TestHarness(plugin, { config: configFor(sim, { fields: { imageFormat: 'NoSuchFormatNode' } }), dataDir: h.dataDir });
      await h.start();
      const scan = await sim.scan();
      await h.waitFor(() => h.observations.some((o) => o.sourceId === scan.scanId), 10000, 'the scan');
      const obs = h.observations.find((o) => o.sourceId === scan.scanId) as Observation<'xray.scan'>;
      assert.deepEqual(
        obs.raw!.map((r) => r.role),
        ['xray-image'],
      );
      assert.deepEqual(obs.quality, { status: 'good', reasons: ["no preview: image format '(none)' is not decoded (raw-u16le, raw-u16be, raw-u8 are)"] });
      assert.ok(h.logs.some((l) => l.level === 'warn' && l.msg === 'image stored without a preview'));
    });
  });
});
