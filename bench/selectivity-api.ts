// The API path of bench:selectivity: a real hub on the bench's database, listening on HTTP, asked for
// each test declaration's pre-arrival risk (GET /api/v1/declarations/{number}/risk) by a client thread.
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { ScorerPlugin } from '@customs-hub/sdk';
import { TokenStore, createHub, createLogger, parseConfig } from '@customs-hub/core';

const declarationModel = (require('@customs-hub/scorer-declaration-model') as { scorer: ScorerPlugin }).scorer;

/** Declarations per second through the hub's API, and how many answers carried the model's score. */
export async function apiPathRate(o: {
  storageUrl: string;
  dataDir: string;
  checkpoint: string;
  numbers: string[];
  inFlight?: number;
}): Promise<{ rate: number; seconds: number; cpuSeconds: number; withModel: number; firstMiss: string }> {
  const yaml =
    `checkpoint: { id: ${o.checkpoint} }\ndataDir: ${o.dataDir}\nhttp: { port: 0 }\nlogging: { level: silent }\nstorage: { url: "${o.storageUrl}" }\n` +
    // A customs system asking for every declaration's risk is one client: its token's limit is raised.
    'api: { rateLimit: { perSecond: 100000, burst: 100000 } }\n' +
    'scoring:\n  scorers:\n    - { name: declaration-model }\n  policy: { name: bench, thresholds: { yellow: 40, red: 70 }, randomRate: 0 }\n';
  const config = parseConfig(yaml, join(o.dataDir, 'bench.yaml'), {}).config;
  const logger = createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));
  const { hub } = await createHub(config, { logger, workspaceDir: null, scorers: [declarationModel] });
  await hub.start();
  try {
    const { token } = await new TokenStore(hub.db).create('bench-selectivity', ['cases:read']);
    const port = hub.http.info.port as number;
    // The first ask loads the history up to the last test day, once and longer than a scorer's budget:
    // asked again until the answer carries the model's score; not what is measured.
    const deadline = Date.now() + 300_000;
    while ((await runClient({ port, token, numbers: o.numbers.slice(-1), inFlight: 1 })).withModel === 0) {
      if (Date.now() > deadline) throw new Error("API path: the hub did not load the model's history within 300 s");
      await new Promise((r) => setTimeout(r, 500));
    }
    const cpu0 = process.cpuUsage();
    const r = await runClient({ port, token, numbers: o.numbers, inFlight: o.inFlight ?? 16 });
    const cpu = process.cpuUsage(cpu0);
    return {
      rate: Math.round(o.numbers.length / (r.ms / 1000)),
      seconds: r.ms / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      withModel: r.withModel,
      firstMiss: r.firstMiss,
    };
  } finally {
    await hub.stop();
  }
}

function runClient(data: { port: number; token: string; numbers: string[]; inFlight: number }): Promise<{ ms: number; withModel: number; firstMiss: string }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(join(__dirname, 'selectivity-api-client.js'), { workerData: data });
    w.once('message', (m: { ms: number; withModel: number; firstMiss: string } | { error: string }) => {
      void w.terminate();
      if ('error' in m) reject(new Error(m.error));
      else resolve(m);
    });
    w.once('error', reject);
  });
}
