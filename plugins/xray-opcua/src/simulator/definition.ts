import { routeOpcuaLogs } from '../opcua-logs.js';
import { defineSimulator } from '@customs-hub/sdk';
import { DEFAULT_OPTIONS, type XraySimulatorOptions } from './options.js';

function number(v: unknown, name: string, min: number, max: number, fallback: number): number {
  if (v === undefined) return fallback;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new RangeError(`xray simulator: ${name} must be a number in ${min}..${max}, got '${String(v)}'`);
  return n;
}

function badTraffic(v: unknown): never {
  throw new RangeError(`xray simulator: traffic must be random or driven, got '${String(v)}'`);
}

/** Turns command-line or config options into simulator options, naming the option that is wrong. */
export function parseOptions(o: Record<string, unknown>): XraySimulatorOptions {
  const d = DEFAULT_OPTIONS;
  const out: XraySimulatorOptions = {
    port: number(o.port, 'port', 0, 65535, d.port),
    httpPort: number(o.httpPort, 'httpPort', 0, 65535, d.httpPort),
    intervalS: number(o.intervalS, 'intervalS', 0, 86400, d.intervalS),
    imageMb: number(o.imageMb, 'imageMb', 0.001, 4096, d.imageMb),
    seed: number(o.seed, 'seed', 0, 2 ** 31, d.seed),
    findingRate: number(o.findingRate, 'findingRate', 0, 1, d.findingRate),
    invalidRate: number(o.invalidRate, 'invalidRate', 0, 1, d.invalidRate),
    historySize: number(o.historySize, 'historySize', 1, 10000, d.historySize),
    lane: typeof o.lane === 'string' && o.lane ? o.lane : d.lane,
    secure: o.secure === true || o.secure === 'true',
    traffic: o.traffic === undefined ? d.traffic : o.traffic === 'driven' || o.traffic === 'random' ? o.traffic : badTraffic(o.traffic),
    clockOffsetS: number(o.clockOffsetS, 'clockOffsetS', -86400, 86400, d.clockOffsetS),
  };
  if (typeof o.pkiDir === 'string') out.pkiDir = o.pkiDir;
  if (o.rejectUnknownClients === true || o.rejectUnknownClients === 'true') out.rejectUnknownClients = true;
  return out;
}

/** `customs-hub simulate xray`: an OPC UA scanner with an HTTP image server. */
export const xraySimulator = defineSimulator({
  name: 'xray',
  description: 'Cargo X-ray scanner over OPC UA: scans on a schedule and on demand (TriggerScan method), images over HTTP',
  options: [
    { flags: '--port <n>', description: 'OPC UA port on 127.0.0.1', default: DEFAULT_OPTIONS.port },
    { flags: '--http-port <n>', description: 'HTTP port of the image server', default: DEFAULT_OPTIONS.httpPort },
    { flags: '--interval-s <s>', description: 'seconds between scheduled scans (0: on demand only)', default: DEFAULT_OPTIONS.intervalS, type: 'number' },
    { flags: '--image-mb <mb>', description: 'image size in MB (generated deterministically, streamed)', default: DEFAULT_OPTIONS.imageMb, type: 'number' },
    { flags: '--seed <n>', description: 'random seed of scans and images', default: DEFAULT_OPTIONS.seed },
    { flags: '--finding-rate <r>', description: 'share of scans with automatic findings (0..1)', default: DEFAULT_OPTIONS.findingRate },
    { flags: '--invalid-rate <r>', description: 'share of scans with an invalid container check digit (0..1)', default: DEFAULT_OPTIONS.invalidRate },
    { flags: '--lane <name>', description: 'lane reported with each scan', default: DEFAULT_OPTIONS.lane },
    { flags: '--history-size <n>', description: 'scans kept in the history folder', default: DEFAULT_OPTIONS.historySize },
    { flags: '--secure', description: 'also offer SignAndEncrypt / Basic256Sha256', default: false },
    { flags: '--pki-dir <dir>', description: "the simulator's own PKI folder (with --secure)" },
    { flags: '--reject-unknown-clients', description: 'refuse client certificates not in the PKI (with --secure)', default: false },
    { flags: '--traffic <random|driven>', description: 'driven: only scans of the vehicles the lane twin passes', default: DEFAULT_OPTIONS.traffic },
    { flags: '--clock-offset-s <s>', description: 'the scanner clock runs this far ahead of real time', default: DEFAULT_OPTIONS.clockOffsetS, type: 'number' },
  ],
  start: (options, logger) => {
    // node-opcua is loaded only when a simulator or driver runs: loading it costs seconds of RSA self-tests.
    routeOpcuaLogs(logger);
    const { XraySimulator } = require('./xray-simulator.js') as typeof import('./xray-simulator.js');
    return new XraySimulator(parseOptions(options), logger).start();
  },
});
