import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type { Observation } from '@customs-hub/sdk';
import { rawFilePath, TestHarness } from '@customs-hub/sdk/testing';
import type { DicosConfig } from '../src/config.js';
import { plugin } from '../src/index.js';
import { ctSliceFile } from './ct-files.js';
import { sha256, tempDir } from './helpers.js';

const [ROWS, COLUMNS] = [32, 64];
/** Slice k: dark, with a bright 8 × 8 square at x = 8k, so the preview shows which slice it is. */
const slicePixel = (k: number) => (x: number, y: number) => (x >= 8 * k && x < 8 * k + 8 && y >= 8 && y < 16 ? 3000 : 200 + (x % 4));

function files(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((n) => n !== 'done' && n !== 'rejected')
        .sort()
    : [];
}

/** Writes a file as a unit does: under a hidden name, then renamed. */
function drop(dir: string, name: string, bytes: Buffer): void {
  writeFileSync(join(dir, `.${name}`), bytes);
  renameSync(join(dir, `.${name}`), join(dir, name));
}

/** The slices of a series, k = 0..n-1 at z = 5k; names do not follow the scan order. */
function series(uid: string, n: number, opts: { z?: boolean } = {}): Array<{ name: string; bytes: Buffer; k: number }> {
  return Array.from({ length: n }, (_, k) => ({
    k,
    name: `${uid.slice(-3)}-${String((k * 7) % n).padStart(2, '0')}-${k}.dcs`,
    bytes: ctSliceFile({
      seriesUid: uid,
      sopUid: `${uid}.${k + 1}`,
      instanceNumber: n - k,
      ...(opts.z === false ? {} : { z: 5 * k }),
      rows: ROWS,
      columns: COLUMNS,
      pixel: slicePixel(k),
    }),
  }));
}

describe('dicos: a CT series written one slice per file is one scan', function () {
  this.timeout(20000);
  let h: TestHarness<DicosConfig>;
  let dir: string;
  const scans = () => h.observations.filter((o) => o.kind === 'xray.scan') as Array<Observation<'xray.scan'>>;
  beforeEach(async () => {
    dir = tempDir('ct');
    h = new TestHarness<DicosConfig>(plugin, { config: { watchDir: dir, pollIntervalMs: 25, seriesQuietMs: 300 }, device: { id: 'ct-1', lane: 'P1' } });
    await h.start();
  });
  afterEach(async () => {
    await h.stop();
  });

  it("groups the slices by Series Instance UID into one xray.scan with its slice count and the middle slice's preview", async () => {
    const a = series('1.2.826.0.1.3680043.10.511.777', 5);
    const b = series('1.2.826.0.1.3680043.10.511.888', 4);
    // Interleaved, as two units sharing a folder might write them.
    for (let i = 0; i < 5; i++) {
      drop(dir, a[i]!.name, a[i]!.bytes);
      if (b[i]) drop(dir, b[i]!.name, b[i]!.bytes);
    }
    await h.waitFor(() => scans().length === 2 && files(dir).length === 0, 10000, 'two scans, every slice moved to done/');
    assert.equal(readdirSync(join(dir, 'done')).length, 9);

    const scan = scans().find((o) => o.payload.scanId === '1.2.826.0.1.3680043.10.511.777')!;
    const dicos = scan.extensions!.dicos as Record<string, unknown>;
    assert.deepEqual([dicos.slices, dicos.frames, dicos.previewSlice], [5, 5, 2]);
    assert.deepEqual(
      dicos.sliceInstanceUids,
      a.map((s) => `1.2.826.0.1.3680043.10.511.777.${s.k + 1}`),
      'in scan order (z), not by name or instance number',
    );
    assert.deepEqual([scan.payload.image?.widthPx, scan.payload.image?.heightPx], [COLUMNS, ROWS]);
    assert.equal(scan.conveyance.itemId, 'BG0001');
    // The middle slice (z = 10, k = 2) first, its preview and thumbnail, the manifest, then the others in order.
    assert.deepEqual(
      scan.raw!.map((r) => r.role),
      ['image', 'preview', 'thumbnail', 'series-manifest', 'image', 'image', 'image', 'image'],
    );
    assert.deepEqual(
      scan.raw!.filter((r) => r.role === 'image').map((r) => r.sha256),
      [2, 0, 1, 3, 4].map((k) => sha256(a[k]!.bytes)),
    );
    const rawDir = join(h.dataDir, 'raw');
    const manifest = JSON.parse(readFileSync(rawFilePath(rawDir, scan.raw![3]!.sha256), 'utf8')) as {
      slices: Array<{ sha256: string; z: number; name: string }>;
    };
    assert.deepEqual(
      manifest.slices.map((s) => [s.name, s.sha256, s.z]),
      a.map((s) => [s.name, sha256(s.bytes), 5 * s.k]),
    );
    // The preview is of slice 2: its bright square is at x = 16..23.
    const full = PNG.sync.read(readFileSync(rawFilePath(rawDir, scan.raw![1]!.sha256)));
    assert.deepEqual([full.width, full.height], [COLUMNS, ROWS]);
    const at = (x: number, y: number) => full.data[(y * COLUMNS + x) * 4]!;
    assert.equal(at(20, 12), 255);
    for (const x of [4, 12, 28, 36]) assert.ok(at(x, 12) < 40, `x ${x} is not the bright square (${at(x, 12)})`);

    const other = scans().find((o) => o.payload.scanId === '1.2.826.0.1.3680043.10.511.888')!;
    assert.equal((other.extensions!.dicos as Record<string, unknown>).slices, 4);
    assert.notEqual(other.sourceId, scan.sourceId);
    assert.equal(h.statuses.filter((s) => s.type !== 'ok').length, 0);
  });

  it('orders by instance number without positions; a late slice is a scan of its own, not lost as a duplicate', async () => {
    const uid = '1.2.826.0.1.3680043.10.511.999';
    const all = series(uid, 4, { z: false });
    for (const s of all.slice(0, 3)) drop(dir, s.name, s.bytes);
    await h.waitFor(() => scans().length === 1, 10000, 'the first part');
    // Instance numbers count down (n - k): the scan order is k = 2, 1, 0 for the first three slices.
    assert.deepEqual(
      (scans()[0]!.extensions!.dicos as Record<string, unknown>).sliceInstanceUids,
      [3, 2, 1].map((n) => `${uid}.${n}`),
    );
    drop(dir, all[3]!.name, all[3]!.bytes);
    await h.waitFor(() => scans().length === 2, 10000, 'the late slice');
    assert.equal(scans()[1]!.payload.scanId, uid);
    assert.notEqual(scans()[1]!.sourceId, scans()[0]!.sourceId);
    assert.equal((scans()[1]!.extensions!.dicos as Record<string, unknown>).slices, 1);
  });

  it('keeps a series in the folder when the hub cannot store it, and stores it at a later scan', async () => {
    h.failEmits(1);
    for (const s of series('1.2.826.0.1.3680043.10.511.555', 3)) drop(dir, s.name, s.bytes);
    await h.waitFor(
      () => h.statuses.some((s) => s.type === 'failure' && /^CT series 1\.2\.826\.0\.1\.3680043\.10\.511\.555: /.test(s.detail)),
      10000,
      'the refused emit',
    );
    await h.waitFor(() => scans().length === 1 && files(dir).length === 0, 10000, 'the scan after the refusal, its files in done/');
    assert.equal((scans()[0]!.extensions!.dicos as Record<string, unknown>).slices, 3);
  });
});
