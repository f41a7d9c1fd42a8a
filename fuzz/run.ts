import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { mutant } from './mutate.js';
import { TARGETS, type FuzzTarget } from './targets.js';

// `npm run fuzz`: seeded, bounded mutation of every parser's real inputs. Each target runs in a worker
// with a heap limit; the main thread times every input and ends a worker stuck on one (a hang). A crash,
// a refusal without a reason, a hang or running out of memory is a finding: the input is saved under
// fuzz/found/ to become a regression test, and the run fails.

interface Job {
  target: string;
  seed: number;
  iterations: number;
}
type FromWorker =
  | { type: 'input'; i: number }
  | { type: 'crash'; i: number; message: string }
  | { type: 'done'; accepted: number; refused: number; slowestMs: number; slowestI: number; heapPeakMb: number };

const env = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);

async function worker(): Promise<void> {
  const job = workerData as Job;
  const target = TARGETS.find((t) => t.name === job.target)!;
  const seeds = target.seeds();
  let accepted = 0,
    refused = 0,
    slowestMs = 0,
    slowestI = 0,
    heapPeak = 0;
  for (let i = 0; i < job.iterations; i++) {
    parentPort!.postMessage({ type: 'input', i } satisfies FromWorker);
    const input = mutant(seeds, job.seed, i);
    const t0 = performance.now();
    try {
      if ((await target.run(input)) === 'accepted') accepted++;
      else refused++;
    } catch (err) {
      parentPort!.postMessage({ type: 'crash', i, message: String((err as Error)?.stack ?? err).slice(0, 2000) } satisfies FromWorker);
    }
    const ms = performance.now() - t0;
    if (ms > slowestMs) {
      slowestMs = ms;
      slowestI = i;
    }
    if (i % 16 === 0) heapPeak = Math.max(heapPeak, getHeapStatistics().used_heap_size);
  }
  await target.close?.();
  parentPort!.postMessage({ type: 'done', accepted, refused, slowestMs, slowestI, heapPeakMb: heapPeak / 1048576 } satisfies FromWorker);
}

interface Finding {
  target: string;
  i: number;
  kind: 'crash' | 'hang' | 'out of memory';
  detail: string;
}

function save(target: FuzzTarget, seed: number, f: Finding): string {
  const dir = join(__dirname, '..', 'found');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${f.target}-seed${seed}-${f.i}.bin`);
  writeFileSync(path, mutant(target.seeds(), seed, f.i));
  writeFileSync(`${path}.txt`, `${f.kind}: ${f.detail}\n`);
  return path;
}

/** Runs one target in a worker; resolves with its findings (a hang or OOM ends the target's run there). */
function runTarget(
  target: FuzzTarget,
  seed: number,
  iterations: number,
  timeLimitMs: number,
  memoryMb: number,
): Promise<{ findings: Finding[]; summary: string }> {
  return new Promise((resolve) => {
    const findings: Finding[] = [];
    const w = new Worker(__filename, {
      workerData: { target: target.name, seed, iterations } satisfies Job,
      resourceLimits: { maxOldGenerationSizeMb: memoryMb },
    });
    let current = -1;
    let since = Date.now();
    let finished = false;
    const finish = (summary: string) => {
      if (finished) return;
      finished = true;
      clearInterval(watch);
      resolve({ findings, summary });
    };
    const watch = setInterval(() => {
      if (current >= 0 && Date.now() - since > timeLimitMs) {
        findings.push({ target: target.name, i: current, kind: 'hang', detail: `input ${current} still running after ${timeLimitMs} ms` });
        void w.terminate();
        finish(`${target.name}: stopped at input ${current} (hang)`);
      }
    }, 50);
    w.on('message', (m: FromWorker) => {
      if (m.type === 'input') {
        current = m.i;
        since = Date.now();
      } else if (m.type === 'crash') findings.push({ target: target.name, i: m.i, kind: 'crash', detail: m.message });
      else
        finish(
          `${target.name}: ${iterations} inputs, ${m.accepted} read, ${m.refused} refused with a reason; slowest ${m.slowestMs.toFixed(0)} ms (input ${m.slowestI}), heap peak ${m.heapPeakMb.toFixed(0)} MB`,
        );
    });
    w.on('error', (err: Error & { code?: string }) => {
      const oom = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      findings.push({
        target: target.name,
        i: current,
        kind: oom ? 'out of memory' : 'crash',
        detail: oom ? `input ${current} exceeded the ${memoryMb} MB heap` : String(err.stack ?? err),
      });
      finish(`${target.name}: stopped at input ${current} (${oom ? 'out of memory' : 'worker error'})`);
    });
    w.on('exit', () => finish(`${target.name}: worker exited at input ${current}`));
  });
}

async function main(): Promise<void> {
  const seed = env('FUZZ_SEED', 1);
  const iterations = env('FUZZ_ITERATIONS', 2000);
  const timeLimitMs = env('FUZZ_TIME_LIMIT_MS', 5000);
  const memoryMb = env('FUZZ_MEMORY_MB', 512);
  const only = process.env.FUZZ_TARGETS?.split(',');
  const targets = TARGETS.filter((t) => !only || only.includes(t.name));
  const all: Finding[] = [];
  for (const t of targets) {
    const { findings, summary } = await runTarget(t, seed, iterations, timeLimitMs, memoryMb);
    process.stdout.write(`${summary}\n`);
    for (const f of findings) process.stdout.write(`  ${f.kind} at input ${f.i}, saved to ${save(t, seed, f)}: ${f.detail.split('\n')[0]}\n`);
    all.push(...findings);
  }
  const count = (k: Finding['kind']) => all.filter((f) => f.kind === k).length;
  process.stdout.write(
    `fuzz: ${iterations * targets.length} inputs across ${targets.length} parsers (seed ${seed}, ${timeLimitMs} ms and ${memoryMb} MB per input): ${count('crash')} crashes, ${count('hang')} hangs, ${count('out of memory')} out of memory\n`,
  );
  if (all.length > 0) process.exitCode = 1;
}

if (isMainThread) {
  main().catch((err: Error) => {
    process.stderr.write(`fuzz failed: ${err.stack}\n`);
    process.exitCode = 1;
  });
} else {
  void worker();
}
