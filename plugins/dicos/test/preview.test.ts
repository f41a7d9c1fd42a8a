import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type { Logger, Observation } from '@customs-hub/sdk';
import { directoryRawStore, rawFilePath } from '@customs-hub/sdk/testing';
import { plugin } from '../src/index.js';
import { Decimator, shrink } from '../src/preview/gray-image.js';
import { FULL_VIEW_MAX } from '../src/preview/preview.js';
import { rawElement, sampleBytes, tagOffset, tempDir, validated } from './helpers.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

async function readFile(bytes: Buffer, name: string): Promise<{ obs: Observation<'xray.scan'>; rawDir: string }> {
  const dir = tempDir('preview');
  writeFileSync(join(dir, name), bytes);
  const rawDir = join(dir, 'raw');
  const drafts = await plugin.files!.read({ path: join(dir, name), name }, { storeRaw: directoryRawStore(rawDir), logger: silent });
  return { obs: validated(drafts[0]!) as Observation<'xray.scan'>, rawDir };
}

function png(obs: Observation<'xray.scan'>, rawDir: string, role: string): PNG {
  const ref = obs.raw!.find((r) => r.role === role);
  assert.ok(ref, `a ${role} raw reference`);
  assert.equal(ref.contentType, 'image/png');
  return PNG.sync.read(readFileSync(rawFilePath(rawDir, ref.sha256)));
}

/** The 16-bit samples of the uncompressed sample, read straight from its bytes (independent of the plugin). */
function uncompressedSamples(): Uint16Array {
  const bytes = sampleBytes('dx-for-processing.dcs');
  const at = tagOffset(bytes, 0x7fe0, 0x0010);
  // OW with a 4-byte length after two reserved bytes.
  const len = bytes.readUInt32LE(at + 8);
  return new Uint16Array(bytes.buffer.slice(bytes.byteOffset + at + 12, bytes.byteOffset + at + 12 + len));
}

describe('dicos: image previews for the officer', () => {
  it("JPEG lossless DX: decodes to the same pixels as the uncompressed sample, shown through the file's VOI window", async () => {
    const { obs, rawDir } = await readFile(sampleBytes('dx-for-presentation.dcs'), 'dx-for-presentation.dcs');
    const full = png(obs, rawDir, 'preview');
    assert.deepEqual([full.width, full.height], [256, 128]);
    // Window Center 1234, Width 500 (from the file): DICOM's linear VOI function.
    const [center, width] = [
      Number(rawElement(sampleBytes('dx-for-presentation.dcs'), 0x0028, 0x1050, 'DS').toString().trim()),
      Number(rawElement(sampleBytes('dx-for-presentation.dcs'), 0x0028, 0x1051, 'DS').toString().trim()),
    ];
    assert.deepEqual([center, width], [1234, 500]);
    const samples = uncompressedSamples();
    assert.equal(samples.length, 256 * 128);
    let checked = 0;
    for (let i = 0; i < samples.length; i += 97) {
      const v = samples[i]!;
      const expected = v <= center - 0.5 - (width - 1) / 2 ? 0 : v > center - 0.5 + (width - 1) / 2 ? 255 : ((v - (center - 0.5)) / (width - 1) + 0.5) * 255;
      assert.ok(Math.abs(full.data[i * 4]! - expected) <= 1, `pixel ${i}: raw ${v} shows ${full.data[i * 4]}, expected ${expected.toFixed(1)}`);
      checked++;
    }
    assert.ok(checked > 300);
    assert.deepEqual((obs.extensions as { dicos: { preview: unknown } }).dicos.preview, {
      frame: 0,
      scale: 1,
      window: { center: 1234, width: 500, source: 'file' },
    });
  });

  it('uncompressed DX without a VOI window: stretched between the 1st and 99th percentile, brightness following the samples', async () => {
    const { obs, rawDir } = await readFile(sampleBytes('dx-for-processing.dcs'), 'dx-for-processing.dcs');
    const full = png(obs, rawDir, 'preview');
    const thumb = png(obs, rawDir, 'thumbnail');
    assert.deepEqual([full.width, full.height, thumb.width, thumb.height], [256, 128, 256, 128]);
    const samples = uncompressedSamples();
    const sorted = Array.from(samples).sort((a, b) => a - b);
    const [p1, p99] = [sorted[Math.floor((sorted.length - 1) * 0.01)]!, sorted[Math.floor((sorted.length - 1) * 0.99)]!];
    for (let i = 0; i < samples.length; i += 131) {
      const g = full.data[i * 4]!;
      if (samples[i]! <= p1) assert.equal(g, 0, `pixel ${i} at or below the 1st percentile is black`);
      else if (samples[i]! >= p99) assert.equal(g, 255, `pixel ${i} at or above the 99th percentile is white`);
      for (let j = i + 1; j < Math.min(samples.length, i + 50); j += 7)
        if (samples[j]! > samples[i]! + 200) assert.ok(full.data[j * 4]! >= g, `brighter sample ${j} is not darker than ${i}`);
    }
  });

  it('keeps the image and says why when it cannot be previewed (an unsupported transfer syntax)', async () => {
    // JPEG baseline (1.2.840.10008.1.2.4.50) has the same length as …4.70 in the meta group.
    const bytes = Buffer.from(sampleBytes('dx-for-presentation.dcs'));
    const at = tagOffset(bytes, 0x0002, 0x0010);
    const len = bytes.readUInt16LE(at + 6);
    Buffer.from('1.2.840.10008.1.2.4.50'.padEnd(len, '\0'), 'latin1').copy(bytes, at + 8);
    const { obs } = await readFile(bytes, 'baseline.dcs');
    assert.equal(obs.payload.imageStatus, 'stored');
    assert.deepEqual(
      obs.raw!.map((r) => r.role),
      ['image'],
    );
    assert.deepEqual(obs.quality, {
      status: 'good',
      reasons: ['no preview: transfer syntax 1.2.840.10008.1.2.4.50 is not decoded (uncompressed and JPEG lossless are)'],
    });
  });

  it('decimates a frame while it is read, keeping the aspect ratio within the full-view bound; the thumbnail averages it down', () => {
    const [w, h] = [6000, 1500];
    const d = new Decimator(w, h, FULL_VIEW_MAX, (n) => new Uint16Array(n));
    const row = new Uint16Array(w);
    for (let y = 0; y < h; y++) {
      row.fill(y);
      d.push(row);
    }
    assert.deepEqual([d.step, d.out.width, d.out.height], [3, 2000, 500]);
    assert.equal(d.out.pixels[499 * 2000], 1497, 'row 499 of the output is source row 1497');
    const small = shrink({ width: 4, height: 2, pixels: Uint8Array.from([0, 10, 20, 30, 40, 50, 60, 70]) }, 2);
    assert.deepEqual([small.width, small.height, Array.from(small.pixels)], [2, 1, [25, 45]]);
  });
});
