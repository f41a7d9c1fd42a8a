import { defineSimulator, type Logger, type RunningSimulator, type VehiclePass } from '@customs-hub/sdk';
import { AsciiPortalServer, type PortalStats } from './ascii-server.js';
import { SCENARIOS, type Scenario } from './loads.js';
import { ModbusPortalServer } from './modbus-server.js';
import { PortalModel, SAMPLE_S } from './portal-model.js';

/** What `start()` of the rpm simulator returns: stats() per portal, and hooks tests use. */
export interface RunningRpmSimulator extends RunningSimulator {
  stats(): { portals: PortalStats[]; samplesSent: number };
  /** Writes raw text to the clients of portal i (ASCII only). */
  inject(text: string, portal?: number): void;
  /** Drops the clients of every portal (ASCII only). */
  dropClients(): void;
  /** Driven traffic (`traffic: driven`): the lane twin sends a vehicle through portal 0. */
  pass(vehicle: VehiclePass): void;
}

export interface RpmSimulatorOptions {
  transport: 'ascii' | 'modbus';
  host: string;
  port: number;
  count: number;
  seed: number;
  scenario: Scenario;
  vehicleInterval: number;
  speed: number;
  background: number;
  nSigma: number;
  timeScale: number;
  windows: boolean;
  framing: 'tcp' | 'rtu-over-tcp';
  wordOrder: 'big' | 'little';
  /** random: vehicles of its own every vehicleInterval; driven: only those the lane twin passes. */
  traffic: 'random' | 'driven';
}

const DEFAULTS: RpmSimulatorOptions = {
  transport: 'ascii',
  host: '127.0.0.1',
  port: 1601,
  count: 1,
  seed: 1,
  scenario: 'mixed',
  vehicleInterval: 20,
  speed: 8,
  background: 1250,
  nSigma: 8,
  timeScale: 1,
  windows: true,
  framing: 'tcp',
  wordOrder: 'big',
  traffic: 'random',
};

/** Options arrive as strings from the command line or typed from config; normalize and check them. */
export function parseOptions(raw: Record<string, unknown>): RpmSimulatorOptions {
  const o: RpmSimulatorOptions = { ...DEFAULTS };
  const num = (k: keyof RpmSimulatorOptions, min: number, max: number) => {
    if (raw[k] === undefined) return;
    const v = Number(raw[k]);
    if (!Number.isFinite(v) || v < min || v > max) throw new RangeError(`rpm simulator: --${k} must be a number in [${min}, ${max}], got '${String(raw[k])}'`);
    (o as unknown as Record<string, number>)[k] = v;
  };
  const oneOf = <T extends string>(k: keyof RpmSimulatorOptions, allowed: readonly T[]) => {
    if (raw[k] === undefined) return;
    if (!allowed.includes(raw[k] as T)) throw new RangeError(`rpm simulator: --${k} must be one of ${allowed.join(', ')}, got '${String(raw[k])}'`);
    (o as unknown as Record<string, string>)[k] = raw[k] as string;
  };
  oneOf('transport', ['ascii', 'modbus']);
  oneOf('scenario', SCENARIOS);
  oneOf('framing', ['tcp', 'rtu-over-tcp']);
  oneOf('wordOrder', ['big', 'little']);
  oneOf('traffic', ['random', 'driven']);
  if (raw.host !== undefined) o.host = String(raw.host);
  if (raw.windows !== undefined) o.windows = raw.windows !== false && raw.windows !== 'false';
  num('port', 1, 65535);
  num('count', 1, 5000);
  num('seed', 0, 2 ** 32 - 1);
  num('vehicleInterval', 2, 86400);
  num('speed', 1, 60);
  num('background', 100, 100000);
  num('nSigma', 1, 100);
  num('timeScale', 0.1, 100);
  return o;
}

/** Starts `count` portals on consecutive ports; each ticks every 200 ms (÷ timeScale), staggered. */
export async function startRpmSimulator(raw: Record<string, unknown>, logger: Logger): Promise<RunningRpmSimulator> {
  const o = parseOptions(raw);
  const servers: Array<AsciiPortalServer | ModbusPortalServer> = [];
  const models: PortalModel[] = [];
  const timers: NodeJS.Timeout[] = [];
  const stagger: NodeJS.Timeout[] = [];
  const period = (SAMPLE_S * 1000) / o.timeScale;
  let stopped = false;
  try {
    for (let i = 0; i < o.count; i++) {
      const model = new PortalModel({
        seed: (o.seed + i * 7919) >>> 0,
        panels: 4,
        scenario: o.scenario,
        gammaBackgroundCps: o.background,
        neutronBackgroundCps: 0.5,
        vehicleIntervalS: o.vehicleInterval,
        speedKmh: o.speed,
        nSigma: o.nSigma,
        neutronThreshold: 10,
        highBackgroundCps: Math.round(o.background * 1.6),
        lowBackgroundCps: Math.round(o.background * 0.3),
        driven: o.traffic === 'driven',
      });
      models.push(model);
      const server = o.transport === 'ascii' ? new AsciiPortalServer(model, { windows: o.windows }) : new ModbusPortalServer(model, o);
      await server.listen(o.port + i, o.host);
      servers.push(server);
    }
  } catch (err) {
    await Promise.all(servers.map((s) => s.close()));
    throw err;
  }
  // Portals are independent devices: spread their ticks over the period instead of firing together.
  servers.forEach((s, i) => {
    stagger.push(setTimeout(() => timers.push(setInterval(() => s.step(), period)), (i * period) / servers.length));
  });
  const where = `${o.host}:${o.port}${o.count > 1 ? `-${o.port + o.count - 1}` : ''}`;
  logger.info({ transport: o.transport, scenario: o.scenario, count: o.count, seed: o.seed }, `rpm simulator on ${where}`);
  return {
    describe: () => `rpm ${o.transport} ×${o.count} on ${where} (scenario ${o.scenario}, seed ${o.seed})`,
    stats: () => {
      const portals = servers.map((s) => s.stats());
      return { portals, samplesSent: portals.reduce((a, p) => a + p.samplesSent, 0) };
    },
    inject: (text, portal = 0) => {
      const s = servers[portal];
      if (s instanceof AsciiPortalServer) s.inject(text);
    },
    dropClients: () => {
      for (const s of servers) if (s instanceof AsciiPortalServer) s.dropClients();
    },
    pass: (v) => {
      if (o.traffic !== 'driven') throw new Error('rpm simulator: pass() needs traffic: driven');
      // a truck with its trailer is about 16.5 m, a car 4.5 m; baggage does not pass a portal
      models[0]!.send({ load: v.radiation?.load ?? 'clean', lengthM: v.conveyance === 'car' ? 4.5 : 16.5 });
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      stagger.forEach(clearTimeout);
      timers.forEach(clearInterval);
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}

/** `customs-hub simulate rpm …`: portal monitors speaking the Rapiscan-style stream or Modbus. */
export const rpmSimulator = defineSimulator({
  name: 'rpm',
  description: 'Radiation portal monitors: Poisson background, vehicles with scripted loads, ASCII or Modbus.',
  options: [
    { flags: '--transport <ascii|modbus>', description: 'protocol to speak', default: DEFAULTS.transport },
    { flags: '--host <host>', description: 'address to listen on', default: DEFAULTS.host },
    { flags: '--port <n>', description: 'port of the first portal', default: DEFAULTS.port },
    { flags: '--count <n>', description: 'portals, on consecutive ports', default: DEFAULTS.count },
    { flags: '--seed <n>', description: 'random seed (same seed, same traffic)', default: DEFAULTS.seed },
    { flags: '--scenario <name>', description: `load: ${SCENARIOS.join(', ')}`, default: DEFAULTS.scenario },
    { flags: '--vehicle-interval <s>', description: 'seconds between vehicles', default: DEFAULTS.vehicleInterval },
    { flags: '--speed <km/h>', description: 'mean vehicle speed', default: DEFAULTS.speed },
    { flags: '--background <cps>', description: 'gamma background per panel, counts/s', default: DEFAULTS.background },
    { flags: '--n-sigma <n>', description: "the device's own gamma alarm level", default: DEFAULTS.nSigma },
    { flags: '--time-scale <x>', description: 'run faster than real time (tests)', default: DEFAULTS.timeScale },
    { flags: '--no-windows', description: 'ASCII: do not send GW energy-window lines' },
    { flags: '--framing <tcp|rtu-over-tcp>', description: 'Modbus framing', default: DEFAULTS.framing },
    { flags: '--word-order <big|little>', description: 'Modbus: order of the 32-bit header registers', default: DEFAULTS.wordOrder },
    { flags: '--traffic <random|driven>', description: 'driven: only vehicles the lane twin passes', default: DEFAULTS.traffic },
  ],
  start: startRpmSimulator,
});
