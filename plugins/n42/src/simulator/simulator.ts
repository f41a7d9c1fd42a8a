import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineSimulator, type Logger, type RunningSimulator, type VehiclePass } from '@customs-hub/sdk';
import { passageDocument, type PassageVehicle } from './passage.js';
import { seededRandom } from '@customs-hub/sdk';
import { StreamSender } from './sender.js';

/** Parsed simulator options. */
export interface N42SimulatorOptions {
  dir?: string;
  host: string;
  port?: number;
  intervalS: number;
  seed: number;
  /** driven: a passage only for each vehicle the lane twin passes. */
  traffic: 'random' | 'driven';
}

/** Validates options as commander or a config file gives them (strings or numbers). */
export function simulatorOptions(raw: Record<string, unknown>): N42SimulatorOptions {
  const numberOf = (v: unknown, name: string): number | undefined => {
    if (v === undefined || v === null || v === '') return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new TypeError(`n42 simulator: --${name} must be a number, got '${String(v)}'`);
    return n;
  };
  const traffic = String(raw['traffic'] ?? 'random');
  if (traffic !== 'random' && traffic !== 'driven') throw new TypeError(`n42 simulator: --traffic must be random or driven, got '${traffic}'`);
  const opts: N42SimulatorOptions = {
    host: String(raw['host'] ?? '127.0.0.1'),
    intervalS: numberOf(raw['intervalS'], 'interval-s') ?? 5,
    seed: numberOf(raw['seed'], 'seed') ?? 1,
    traffic,
  };
  if (raw['dir']) opts.dir = String(raw['dir']);
  const port = numberOf(raw['port'], 'port');
  if (port !== undefined) opts.port = port;
  if (!opts.dir && opts.port === undefined) throw new TypeError('n42 simulator: give --dir, --port or both');
  if (opts.intervalS <= 0) throw new TypeError('n42 simulator: --interval-s must be positive');
  return opts;
}

/** The running simulator, with what tests need to synchronize on it. */
export interface RunningN42Simulator extends RunningSimulator {
  /** Documents produced so far. */
  sent(): number;
  /** Resolves when the document in progress (if any) is written or sent. */
  idle(): Promise<void>;
  /** Driven traffic: one passage document for this vehicle. */
  pass(vehicle: VehiclePass): void;
}

/**
 * Writes one N42.42-2011 passage document per interval into a folder (atomically: a dot-file renamed
 * into place) and/or streams it to a TCP port, as portals and backpacks do.
 */
export async function startN42Simulator(raw: Record<string, unknown>, logger: Logger): Promise<RunningN42Simulator> {
  const opts = simulatorOptions(raw);
  if (opts.dir) await mkdir(opts.dir, { recursive: true });
  const rand = seededRandom(opts.seed);
  const sender = opts.port !== undefined ? new StreamSender(opts.host, opts.port, logger) : null;
  let n = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<void> = Promise.resolve();

  const tick = async (vehicle?: PassageVehicle) => {
    const { xml, truth } = passageDocument(rand, n, new Date(), vehicle);
    const name = `passage-${opts.seed}-${String(n).padStart(6, '0')}.n42`;
    n++;
    if (opts.dir) {
      const tmp = join(opts.dir, `.${name}.tmp`);
      await writeFile(tmp, xml);
      await rename(tmp, join(opts.dir, name));
    }
    if (sender)
      await sender
        .send(xml)
        .catch((err: Error) => logger[sender.everConnected ? 'warn' : 'info']({ err: err.message }, 'n42 simulator: stream send failed; will reconnect'));
    logger.debug({ name, uuid: truth.uuid, source: truth.source?.nuclide ?? null }, 'n42 passage');
  };
  const loop = () => {
    current = tick()
      .catch((err: Error) => logger.error({ err: err.message }, 'n42 simulator tick failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, opts.intervalS * 1000);
      });
  };
  if (opts.traffic === 'random') loop();

  return {
    pass: (v) => {
      if (opts.traffic !== 'driven') throw new Error('n42 simulator: pass() needs traffic: driven');
      if (!v.radiation) return;
      const vehicle: PassageVehicle = {
        load: v.radiation.load,
        ...(v.containers?.[0] ? { container: v.containers[0].misreadAs ?? v.containers[0].number } : {}),
      };
      const previous = current;
      current = previous.then(() => tick(vehicle)).catch((err: Error) => logger.error({ err: err.message }, 'n42 simulator passage failed'));
    },
    describe: () =>
      `n42 passages ${opts.traffic === 'driven' ? 'of the vehicles the lane twin drives' : `every ${opts.intervalS} s`}${opts.dir ? ` into ${opts.dir}` : ''}${sender ? ` streamed to ${opts.host}:${opts.port}` : ''}`,
    sent: () => n,
    idle: () => current,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
      if (timer) clearTimeout(timer);
      await sender?.close();
    },
  };
}

export const n42Simulator = defineSimulator({
  name: 'n42',
  description: 'Spectroscopic portal writing N42.42-2011 passage documents to a folder and/or a TCP stream',
  options: [
    { flags: '--dir <path>', description: 'folder to write .n42 files into (the device watchDir)' },
    { flags: '--host <host>', description: 'host to stream documents to', default: '127.0.0.1' },
    { flags: '--port <n>', description: 'TCP port to stream documents to (the device listenPort)', type: 'integer' },
    { flags: '--interval-s <s>', description: 'seconds between passages', default: 5 },
    { flags: '--seed <n>', description: 'random seed (same seed, same passages)', default: 1 },
    { flags: '--traffic <random|driven>', description: 'driven: a passage per vehicle the lane twin passes', default: 'random' },
  ],
  start: (options: Record<string, unknown>, logger: Logger) => startN42Simulator(options, logger),
});
