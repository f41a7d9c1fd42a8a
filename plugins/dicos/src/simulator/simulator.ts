import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { defineSimulator, type DrivenSimulator, type Logger, type VehiclePass } from '@customs-hub/sdk';
import { freshCopy } from './fresh-copy.js';
import { seededRandom } from '@customs-hub/sdk';

/** The DICOS files shipped with the plugin (pyDICOS examples, MIT): see samples/README.md. */
export const BUNDLED_SAMPLES = join(__dirname, '..', '..', '..', 'samples');

export interface DicosSimulatorOptions {
  dir: string;
  intervalS: number;
  seed: number;
  samples: string;
  /** Share of bags whose TDR carries a threat, 0..1. */
  threatRate: number;
  /** driven: a bag only for each vehicle the lane twin passes (its threat from the cargo truth). */
  traffic: 'random' | 'driven';
}

function options(raw: Record<string, unknown>): DicosSimulatorOptions {
  const num = (v: unknown, d: number) => (v === undefined || v === '' ? d : Number(v));
  const o = {
    dir: resolve(String(raw.dir ?? 'var/dicos-inbox')),
    intervalS: num(raw.intervalS, 5),
    seed: num(raw.seed, 1),
    samples: resolve(String(raw.samples ?? BUNDLED_SAMPLES)),
    threatRate: num(raw.threatRate, 0.3),
    traffic: String(raw.traffic ?? 'random') as 'random' | 'driven',
  };
  if (o.traffic !== 'random' && o.traffic !== 'driven') throw new Error(`dicos simulator: --traffic must be random or driven, got ${String(raw.traffic)}`);
  if (!(o.intervalS > 0)) throw new Error(`dicos simulator: --interval-s must be a positive number, got ${String(raw.intervalS)}`);
  if (!Number.isInteger(o.seed)) throw new Error(`dicos simulator: --seed must be an integer, got ${String(raw.seed)}`);
  if (!(o.threatRate >= 0 && o.threatRate <= 1)) throw new Error(`dicos simulator: --threat-rate must be within 0..1, got ${String(raw.threatRate)}`);
  return o;
}

/** Sample files by role, from a folder of DICOS files named like the shared samples. */
async function loadSamples(dir: string): Promise<{ images: Buffer[]; threat: Buffer[]; clear: Buffer[] }> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.dcs')).sort();
  const load = (pick: (n: string) => boolean) => Promise.all(names.filter(pick).map((n) => readFile(join(dir, n))));
  const [images, threat, clear] = await Promise.all([
    load((n) => !n.includes('tdr')),
    load((n) => n.includes('tdr') && !n.includes('no-threat')),
    load((n) => n.includes('no-threat')),
  ]);
  if (images.length + threat.length + clear.length === 0) throw new Error(`dicos simulator: no .dcs samples in ${dir}`);
  return { images, threat, clear };
}

/**
 * A baggage unit's output: each interval one bag, an X-ray image and its threat detection report,
 * as copies of the samples with fresh UIDs, current times and a bag id, dropped atomically (written
 * under a hidden temporary name, then renamed) into `dir`.
 */
export const dicosSimulator = defineSimulator({
  name: 'dicos',
  description: 'Baggage X-ray unit dropping DICOS images and threat detection reports into a folder',
  options: [
    { flags: '--dir <path>', description: "folder to drop DICOS files into (the device's watchDir)", default: 'var/dicos-inbox' },
    { flags: '--interval-s <seconds>', description: 'seconds between bags', default: 5 },
    { flags: '--seed <n>', description: 'random seed', default: 1 },
    { flags: '--threat-rate <share>', description: 'share of bags whose TDR reports a threat, 0..1', default: 0.3 },
    { flags: '--samples <path>', description: 'folder of DICOS sample files to copy (default: the bundled ones)' },
    { flags: '--traffic <random|driven>', description: 'driven: one bag per vehicle the lane twin passes', default: 'random' },
  ],
  async start(raw: Record<string, unknown>, logger: Logger): Promise<DrivenSimulator> {
    const o = options(raw);
    const samples = await loadSamples(o.samples);
    await mkdir(o.dir, { recursive: true });
    const random = seededRandom(o.seed);
    const pick = <T>(list: T[]): T | undefined => list[Math.floor(random() * list.length)];
    let bag = 0;
    let timer: NodeJS.Timeout | null = null;
    let stopped = false;
    let busy: Promise<void> = Promise.resolve();

    const drop = async (name: string, data: Buffer | undefined, ooiId: string, alarmDecision?: 'ALARM' | 'CLEAR') => {
      if (!data) return;
      const copy = freshCopy(data, { random, now: new Date(), ooiId, ...(alarmDecision ? { alarmDecision } : {}) });
      const tmp = join(o.dir, `.${name}.tmp`);
      await writeFile(tmp, copy);
      await rename(tmp, join(o.dir, name));
    };
    const tick = async (given?: { ooiId?: string; threat: boolean }) => {
      bag++;
      const ooiId = given?.ooiId ?? `BG${String(o.seed % 100).padStart(2, '0')}${String(bag).padStart(4, '0')}`;
      const threat = given ? given.threat : random() < o.threatRate;
      const stem = `bag-${ooiId}`;
      await drop(`${stem}-image.dcs`, pick(samples.images), ooiId);
      const tdr = threat ? (pick(samples.threat) ?? pick(samples.clear)) : (pick(samples.clear) ?? pick(samples.threat));
      await drop(`${stem}-tdr.dcs`, tdr, ooiId, threat ? 'ALARM' : 'CLEAR');
      logger.info({ bag: ooiId, threat }, 'dicos simulator dropped a bag');
    };
    // Fixed rate: the next drop is scheduled before this one runs; drops never overlap.
    const schedule = (ms: number) => {
      timer = setTimeout(() => {
        if (stopped) return;
        schedule(o.intervalS * 1000);
        busy = busy.then(() => tick()).catch((err: unknown) => logger.error({ err: String(err) }, 'dicos simulator could not drop a bag'));
      }, ms);
    };
    if (o.traffic === 'random') schedule(0);
    return {
      describe: () =>
        `dicos baggage unit dropping ${o.traffic === 'driven' ? 'a bag per vehicle the lane twin drives' : `a bag every ${o.intervalS} s`} into ${o.dir}`,
      pass(v: VehiclePass) {
        if (o.traffic !== 'driven') throw new Error('dicos simulator: pass() needs traffic: driven');
        const given = { ...(v.itemId ? { ooiId: v.itemId } : {}), threat: (v.xray?.findings.length ?? 0) > 0 };
        busy = busy.then(() => tick(given)).catch((err: unknown) => logger.error({ err: String(err) }, 'dicos simulator could not drop a bag'));
      },
      async stop() {
        stopped = true;
        if (timer) clearTimeout(timer);
        await busy;
      },
    };
  },
});
