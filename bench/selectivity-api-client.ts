// The API path's client, in its own thread so its HTTP work does not share the hub's event loop: GETs
// every declaration's pre-arrival risk over keep-alive connections, a fixed number in flight.
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { port, token, numbers, inFlight } = workerData as { port: number; token: string; numbers: string[]; inFlight: number };
let firstMiss = '';
const agent = new Agent({ keepAlive: true, maxSockets: inFlight });

function get(number: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, agent, path: `/api/v1/declarations/${encodeURIComponent(number)}/risk`, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode !== 200) {
            reject(new Error(`GET risk of ${number}: HTTP ${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 200)}`));
            return;
          }
          const body = JSON.parse(Buffer.concat(chunks).toString()) as { contributions: Array<{ code: string }> };
          const has = body.contributions.some((c) => c.code === 'declaration-model.risk');
          if (!has && !firstMiss) firstMiss = `${number}: ${JSON.stringify(body).slice(0, 300)}`;
          resolve(has ? 1 : 0);
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function main(): Promise<void> {
  let next = 0;
  let withModel = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < numbers.length) {
        const has = await get(numbers[next++]!);
        withModel += has;
      }
    }),
  );
  parentPort!.postMessage({ ms: performance.now() - started, withModel, firstMiss });
  agent.destroy();
}

main().catch((err: Error) => parentPort!.postMessage({ error: err.message }));
