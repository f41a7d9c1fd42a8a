// Child process of bench:rpm-fanin: runs the simulated portal monitors, so their CPU is not the hub's.
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '@customs-hub/core';

const { simulators } = require(join(__dirname, '..', '..', 'plugins', 'rpm', 'dist', 'src', 'index.js'));
const rpm = simulators.find((s: { name: string }) => s.name === 'rpm');
const logger = createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));

async function main(): Promise<void> {
  const [port, count, seed] = process.argv.slice(2).map(Number);
  const sim = await rpm.start({ transport: 'ascii', port, count, seed, scenario: 'mixed', vehicleInterval: 30 }, logger);
  process.send!({ t: 'ready' });
  const onMessage = async (m: { t: string }): Promise<void> => {
    if (m.t === 'stats') process.send!({ t: 'stats', stats: sim.stats() });
    if (m.t === 'stop') {
      const before = sim.stats();
      await sim.stop();
      process.send!({ t: 'stopped', samplesSent: before.samplesSent, portals: before.portals.length });
    }
  };
  process.on('message', (m: { t: string }) => {
    onMessage(m).catch((err) => {
      process.stderr.write(`rpm fleet: ${(err as Error).message}\n`);
      process.exit(1);
    });
  });
}

main().catch((err) => {
  process.stderr.write(`rpm fleet: ${(err as Error).message}\n`);
  process.exit(1);
});
