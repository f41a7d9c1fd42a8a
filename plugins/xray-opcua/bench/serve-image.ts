import type { Logger } from '@customs-hub/sdk';
import { ImageServer } from '../src/simulator/image-server.js';
import { imageSha256, type ImageSpec } from '../src/simulator/image-stream.js';

// Child process of bench/image.ts: the scanner's image server, kept out of the hub's memory figures.
const MB = 1024 * 1024;
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

async function main(): Promise<void> {
  const spec: ImageSpec = { seed: 20261125, sizeBytes: Math.round(Number(process.argv[2] ?? 200) * MB) };
  const sha256 = await imageSha256(spec);
  const warm: ImageSpec = { seed: 1, sizeBytes: MB };
  const server = new ImageServer((name) => (name === 'bench.raw' ? spec : name === 'warm.raw' ? warm : undefined), silent);
  const port = await server.listen(0);
  process.send!({ url: `http://127.0.0.1:${port}/images/bench.raw`, warmUrl: `http://127.0.0.1:${port}/images/warm.raw`, sha256, size: spec.sizeBytes });
  process.on('disconnect', () => {
    void server.close();
  });
}

void main();
