import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureCheckpointMirror, NatsTopology } from '@customs-hub/core';
import { connect } from 'nats';

/**
 * `npm run topology:up [-- CP-01 CP-02 …]` starts the national topology on this machine and leaves it running:
 * three clustered nats-server processes (JetStream domain central) and one leaf node per checkpoint (domain
 * cp-<id>), on free loopback ports with their own stores under .topology/, and the checkpoints' national
 * mirrors on the centre. `npm run topology:down` stops it. The URLs are in .topology/state.json.
 */
const DIR = resolve(process.env.HUB_TOPOLOGY_DIR ?? '.topology');
const STATE = join(DIR, 'state.json');

async function up(checkpoints: string[]): Promise<void> {
  if (existsSync(STATE)) throw new Error(`a topology is already up (${STATE}); npm run topology:down first`);
  mkdirSync(DIR, { recursive: true });
  const topo = await NatsTopology.start({ dir: DIR, checkpoints, detached: true });
  const nc = await connect({ servers: topo.centralUrls });
  const jsm = await nc.jetstreamManager();
  for (const cp of checkpoints) await ensureCheckpointMirror(jsm, { checkpoint: cp });
  await nc.close();
  const leaves = Object.fromEntries(checkpoints.map((cp) => [cp, topo.leafUrl(cp)]));
  writeFileSync(STATE, JSON.stringify({ central: topo.centralUrls, leaves, pids: topo.pids() }, null, 2));
  process.stdout.write(`central cluster: ${topo.centralUrls.join(', ')}\n`);
  for (const [cp, url] of Object.entries(leaves)) process.stdout.write(`checkpoint ${cp}: leaf node ${url} (outbox.nats.servers for its hub)\n`);
  process.stdout.write(`state in ${STATE}; stop with npm run topology:down\n`);
}

function down(): void {
  if (!existsSync(STATE)) {
    process.stdout.write('no topology is up\n');
    return;
  }
  const { pids } = JSON.parse(readFileSync(STATE, 'utf8')) as { pids: number[] };
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  rmSync(DIR, { recursive: true, force: true });
  process.stdout.write(`stopped ${pids.length} nats-server processes\n`);
}

const [command, ...args] = process.argv.slice(2);
if (command === 'up')
  up(args.length ? args : ['CP-01', 'CP-02', 'CP-03']).catch((err) => {
    process.stderr.write(`topology:up failed: ${(err as Error).message}\n`);
    process.exit(1);
  });
else if (command === 'down') down();
else {
  process.stderr.write('usage: topology.js up [CHECKPOINT…] | down\n');
  process.exit(1);
}
