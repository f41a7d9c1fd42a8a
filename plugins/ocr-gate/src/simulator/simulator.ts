import { containerCheckDigit, defineSimulator, seededRandom, type Logger, type RunningSimulator } from '@customs-hub/sdk';
import type { FramingConfig } from '../config.js';
import { HttpPushTransport, TcpPushTransport, TcpServeTransport, type GateTransport } from './gate-transport.js';
import { SimulatedGate, type SimulatedGateOptions } from './simulated-gate.js';

export interface OcrGateSimulatorOptions extends SimulatedGateOptions {
  transport: 'tcp' | 'tcp-server' | 'http';
  host: string;
  port: number;
  framing: FramingConfig;
  hubUrl: string;
  deviceId: string;
  token: string;
  /** Seconds between trucks of the simulator's own traffic; 0 = only what read() is asked (driven by the lane twin). */
  intervalS: number;
  misreadRate: number;
  heartbeatS: number;
}

function options(raw: Record<string, unknown>): OcrGateSimulatorOptions {
  const num = (v: unknown, d: number) => (v === undefined || v === '' ? d : Number(v));
  const framingName = String(raw.framing ?? 'newline');
  const framing: FramingConfig | undefined =
    framingName === 'newline'
      ? { type: 'delimiter', end: '\n' }
      : framingName === 'stx-etx'
        ? { type: 'delimiter', start: '\u0002', end: '\u0003' }
        : framingName === 'length'
          ? { type: 'length', headerBytes: 4, byteOrder: 'big' }
          : framingName === 'length16'
            ? { type: 'length', headerBytes: 2, byteOrder: 'big' }
            : undefined;
  if (!framing) throw new Error(`ocr-gate simulator: --framing must be newline, stx-etx, length or length16, got ${framingName}`);
  const o: OcrGateSimulatorOptions = {
    transport: String(raw.transport ?? 'tcp') as OcrGateSimulatorOptions['transport'],
    host: String(raw.host ?? '127.0.0.1'),
    port: num(raw.port, 4601),
    framing,
    hubUrl: String(raw.hubUrl ?? 'http://127.0.0.1:8080'),
    deviceId: String(raw.deviceId ?? 'OCR-1'),
    token: String(raw.token ?? process.env.HUB_TOKEN ?? ''),
    format: String(raw.format ?? 'json') as 'json' | 'xml',
    seed: num(raw.seed, 1),
    clockOffsetMs: num(raw.clockOffsetMs, 0),
    images: num(raw.images, 2),
    imageWidth: num(raw.imageWidth, 320),
    imageHeight: num(raw.imageHeight, 120),
    idPrefix: String(raw.idPrefix ?? 'GATE'),
    intervalS: num(raw.intervalS, 20),
    misreadRate: num(raw.misreadRate, 0.05),
    heartbeatS: num(raw.heartbeatS, 0),
    ...(raw.lane !== undefined ? { lane: String(raw.lane) } : {}),
  };
  if (!['tcp', 'tcp-server', 'http'].includes(o.transport))
    throw new Error(`ocr-gate simulator: --transport must be tcp, tcp-server or http, got ${o.transport}`);
  if (!['json', 'xml'].includes(o.format)) throw new Error(`ocr-gate simulator: --format must be json or xml, got ${o.format}`);
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new Error(`ocr-gate simulator: --port must be a TCP port, got ${String(raw.port)}`);
  if (!(o.intervalS >= 0)) throw new Error(`ocr-gate simulator: --interval-s must be >= 0, got ${String(raw.intervalS)}`);
  if (!(o.misreadRate >= 0 && o.misreadRate <= 1)) throw new Error(`ocr-gate simulator: --misread-rate must be within 0..1, got ${String(raw.misreadRate)}`);
  if (!(o.images >= 0 && o.images <= 20)) throw new Error(`ocr-gate simulator: --images must be within 0..20, got ${String(raw.images)}`);
  if (o.transport === 'http' && !o.token)
    throw new Error('ocr-gate simulator: --transport http needs --token (or HUB_TOKEN), a hub token with scope devices:write');
  return o;
}

/** A valid ISO 6346 number for the n-th simulated container. */
export function simulatedContainer(owner: string, serial: number): string {
  const first10 = `${owner}U${String(serial % 1_000_000).padStart(6, '0')}`;
  return `${first10}${containerCheckDigit(first10)}`;
}

async function transportFor(o: OcrGateSimulatorOptions, logger: Logger): Promise<GateTransport> {
  if (o.transport === 'http') return new HttpPushTransport(o.hubUrl, o.deviceId, o.token, logger);
  if (o.transport === 'tcp-server') return TcpServeTransport.listen(o.host, o.port, o.framing);
  return new TcpPushTransport(o.host, o.port, o.framing, logger);
}

/** Starts a simulated gate (the lane twin calls this, then drives it with read()). */
export async function startOcrGate(raw: Record<string, unknown>, logger: Logger): Promise<SimulatedGate & RunningSimulator> {
  const o = options(raw);
  const gate = new SimulatedGate(await transportFor(o, logger), o);
  const random = seededRandom(o.seed + 7919);
  const owners = ['CSQ', 'MSC', 'MAE', 'HLX', 'TGH', 'CMA'];
  const timers: NodeJS.Timeout[] = [];
  let truck = 0;
  if (o.intervalS > 0) {
    const tick = () => {
      truck++;
      const twin = random() < 0.2;
      const containers = Array.from({ length: twin ? 2 : 1 }, (_, i) => ({
        code: simulatedContainer(owners[Math.floor(random() * owners.length)]!, o.seed * 10007 + truck * 2 + i),
        sizeType: twin ? '22G1' : '45G1',
        misread: random() < o.misreadRate,
      }));
      gate
        .read({ containers, plate: { number: `SIM${String(truck % 10000).padStart(4, '0')}`, country: 'DE' }, correctAfterMs: 1500 })
        .catch((err: unknown) => logger.warn({ err: String(err) }, 'ocr-gate simulator: reading not delivered'));
    };
    timers.push(setInterval(tick, o.intervalS * 1000));
    setImmediate(tick);
  }
  if (o.heartbeatS > 0)
    timers.push(
      setInterval(() => {
        gate.heartbeat().catch(() => undefined);
      }, o.heartbeatS * 1000),
    );
  const stop = gate.stop.bind(gate);
  gate.stop = async () => {
    for (const t of timers) clearInterval(t);
    await stop();
  };
  return gate;
}

/**
 * A container-code OCR gate: reads trucks (some misread, corrected by an UPDATE), pushes JSON or XML
 * over TCP (framed as configured) or POSTs it to the hub. `--interval-s 0` leaves it to be driven.
 */
export const ocrGateSimulator = defineSimulator({
  name: 'ocr-gate',
  description: 'Container code OCR gate pushing readings (JSON or XML) over TCP or HTTP',
  options: [
    {
      flags: '--transport <tcp|tcp-server|http>',
      description: 'tcp: connect to the hub and push; tcp-server: listen for the hub; http: POST to the hub',
      default: 'tcp',
    },
    { flags: '--host <host>', description: "tcp: the hub's address; tcp-server: address to listen on", default: '127.0.0.1' },
    { flags: '--port <n>', description: 'TCP port', default: 4601 },
    { flags: '--framing <newline|stx-etx|length|length16>', description: 'how messages are framed on TCP', default: 'newline' },
    { flags: '--format <json|xml>', description: 'message format', default: 'json' },
    { flags: '--hub-url <url>', description: "http: the hub's base URL", default: 'http://127.0.0.1:8080' },
    { flags: '--device-id <id>', description: 'http: the hub device id of this gate', default: 'OCR-1' },
    { flags: '--token <token>', description: 'http: a hub token with scope devices:write (default: $HUB_TOKEN)' },
    { flags: '--interval-s <seconds>', description: 'seconds between trucks; 0 = driven only (lane twin)', default: 20, type: 'number' },
    { flags: '--misread-rate <share>', description: 'share of containers misread (then corrected by an UPDATE)', default: 0.05, type: 'number' },
    { flags: '--images <n>', description: 'images per reading', default: 2 },
    { flags: '--clock-offset-ms <ms>', description: 'the gate clock minus true time', default: 0, type: 'number' },
    { flags: '--heartbeat-s <seconds>', description: 'seconds between heartbeats; 0 = none', default: 0, type: 'number' },
    { flags: '--lane <id>', description: 'lane name the gate puts in its messages' },
    { flags: '--image-width <px>', description: 'width of each image', default: 320 },
    { flags: '--image-height <px>', description: 'height of each image', default: 120 },
    { flags: '--id-prefix <text>', description: "prefix of the gate's reading ids", default: 'GATE' },
    { flags: '--seed <n>', description: 'random seed', default: 1 },
  ],
  start: (raw, logger) => startOcrGate(raw, logger),
});
