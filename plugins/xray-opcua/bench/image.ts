import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directoryRawStore, rawFilePath } from '@customs-hub/sdk/testing';
import { PNG } from 'pngjs';
import { storeScanImage } from '../src/scan-image.js';
import { DETECTOR_COLUMNS, IMAGE_FORMAT } from '../src/simulator/image-stream.js';

// `npm run bench:xray-image`: one simulated 200 MB scan image through the driver's streaming path
// (HTTP → preview shrinker → hash → raw store, then the preview PNGs), against sha256sum of the same file.
const MB = 1024 * 1024;

async function main(): Promise<void> {
  const sizeMb = Number(process.env.XRAY_BENCH_MB ?? 200);
  const server = fork(join(__dirname, 'serve-image.js'), [String(sizeMb)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const image = await new Promise<{ url: string; warmUrl: string; sha256: string; size: number }>((resolve, reject) => {
    server.once('message', (m) => resolve(m as { url: string; warmUrl: string; sha256: string; size: number }));
    server.once('exit', (code) => reject(new Error(`image server exited with ${code}`)));
  });
  const dir = mkdtempSync(join(tmpdir(), 'xray-bench-'));
  try {
    const storeRaw = directoryRawStore(join(dir, 'raw'));
    // A running hub has its HTTP, crypto and fs code loaded already: warm them up with a 1 MB image.
    const shape = (size: number) => ({ format: IMAGE_FORMAT, widthPx: DETECTOR_COLUMNS, size });
    await storeScanImage({ url: image.warmUrl }, shape(MB), storeRaw, AbortSignal.timeout(60_000), 'warm');
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }, 10);
    const t0 = process.hrtime.bigint();
    const stored = await storeScanImage({ url: image.url, sha256: image.sha256 }, shape(image.size), storeRaw, AbortSignal.timeout(600_000), 'bench');
    const { ref, preview } = stored;
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    clearInterval(sampler);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    if (ref.sha256 !== image.sha256 || ref.size !== image.size) throw new Error(`stored ${ref.sha256}/${ref.size}, expected ${image.sha256}/${image.size}`);
    if (!preview) throw new Error(`no preview: ${stored.previewProblem}`);
    // The stored full view is a real PNG of the announced shape: read it back.
    const png = PNG.sync.read(readFileSync(rawFilePath(join(dir, 'raw'), preview.refs[0]!.sha256)));

    const file = rawFilePath(join(dir, 'raw'), ref.sha256);
    const s0 = process.hrtime.bigint();
    const out = execFileSync('sha256sum', [file], { encoding: 'utf8' });
    const sumSeconds = Number(process.hrtime.bigint() - s0) / 1e9;
    if (!out.startsWith(ref.sha256)) throw new Error(`sha256sum disagrees: ${out}`);

    const mb = ref.size / MB;
    const rate = mb / seconds;
    const sumRate = mb / sumSeconds;
    process.stdout.write(
      `sha256sum: ${mb.toFixed(0)} MB in ${sumSeconds.toFixed(2)} s (${sumRate.toFixed(1)} MB/s); ingest took ${(seconds / sumSeconds).toFixed(2)}× its time (target ≤ 2×)\n`,
    );
    process.stdout.write(
      `xray image: ${mb.toFixed(0)} MB in ${seconds.toFixed(2)} s (${rate.toFixed(1)} MB/s) with preview ${png.width}×${png.height}, hub rss growth ${((rssPeak - rssBefore) / MB).toFixed(1)} MB (goal < 50)\n`,
    );
  } finally {
    server.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`bench failed: ${err.message}\n`);
  process.exitCode = 1;
});
