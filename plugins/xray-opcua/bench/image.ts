import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directoryRawStore, rawFilePath } from '@customs-hub/sdk/testing';
import { fetchImage } from '../src/image-fetch.js';

// `npm run bench:xray-image`: one simulated 200 MB scan image through the driver's streaming path
// (HTTP → hash → raw store), against sha256sum of the same file in the same run.
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
    await fetchImage({ url: image.warmUrl }, storeRaw, AbortSignal.timeout(60_000));
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, process.memoryUsage().rss); }, 10);
    const t0 = process.hrtime.bigint();
    const ref = await fetchImage({ url: image.url, sha256: image.sha256 }, storeRaw, AbortSignal.timeout(600_000));
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    clearInterval(sampler);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    if (ref.sha256 !== image.sha256 || ref.size !== image.size) throw new Error(`stored ${ref.sha256}/${ref.size}, expected ${image.sha256}/${image.size}`);

    const file = rawFilePath(join(dir, 'raw'), ref.sha256);
    const s0 = process.hrtime.bigint();
    const out = execFileSync('sha256sum', [file], { encoding: 'utf8' });
    const sumSeconds = Number(process.hrtime.bigint() - s0) / 1e9;
    if (!out.startsWith(ref.sha256)) throw new Error(`sha256sum disagrees: ${out}`);

    const mb = ref.size / MB;
    const rate = mb / seconds;
    const sumRate = mb / sumSeconds;
    process.stdout.write(`sha256sum: ${mb.toFixed(0)} MB in ${sumSeconds.toFixed(2)} s (${sumRate.toFixed(1)} MB/s); ingest took ${(seconds / sumSeconds).toFixed(2)}× its time (target ≤ 2×)\n`);
    process.stdout.write(`xray image: ${mb.toFixed(0)} MB in ${seconds.toFixed(2)} s (${rate.toFixed(1)} MB/s), hub rss growth ${((rssPeak - rssBefore) / MB).toFixed(1)} MB\n`);
  } finally {
    server.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`bench failed: ${err.message}\n`);
  process.exitCode = 1;
});
