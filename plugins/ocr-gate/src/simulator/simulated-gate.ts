import { seededRandom, type RunningSimulator } from '@customs-hub/sdk';
import type { GateContainer, GateImage, GateReading, GateSeal } from '../message/gate-message.js';
import { toJson, toXml } from './encode.js';
import type { GateTransport } from './gate-transport.js';
import { misreadCode } from './misread.js';
import { syntheticPng } from './png.js';

/** What the lane twin (or a test) asks the simulated gate to read: the truth, and how the gate gets it wrong. */
export interface GateReadCommand {
  /** The containers on the truck, front first (two for a twin-20-ft truck); none for a bobtail. */
  containers: Array<{
    code: string;
    sizeType?: string;
    /** Confidence the gate reports, 0..1 (default 0.9–0.99). */
    confidence?: number;
    /** true: the gate misreads one character (check digit fails); a string: the code exactly as misread. */
    misread?: boolean | string;
    damage?: boolean;
  }>;
  /** Air waybills, bag tags or ULDs the reader reads (an air cargo or baggage line); none at a road gate. */
  items?: Array<{ type: 'airWaybill' | 'bagTag' | 'uld'; code: string; confidence?: number }>;
  /** How the reader reads (default ocr; a bag-tag reader: barcode or rfid). */
  method?: 'ocr' | 'barcode' | 'rfid';
  /** A port gate: the vessel call the terminal's system gives with the containers. */
  vessel?: { name?: string; imo?: string; voyage?: string };
  /** The flight a bag or ULD is booked on. */
  flight?: { number: string; date?: string };
  /** The truck's plate, when the gate also reads it. */
  plate?: { number: string; country?: string; confidence?: number };
  /** When the truck passed, by the true clock (default now); the gate stamps it with its clock offset. */
  at?: Date;
  direction?: 'in' | 'out';
  seals?: GateSeal[];
  /** The gate's id of the reading (default: a counter). */
  id?: string;
  /** After this many ms, the gate sends an UPDATE with the misread containers read right (confidence 0.99). */
  correctAfterMs?: number;
  /** Images per reading (default the simulator's `images` option). */
  images?: number;
}

export interface GateReadResult {
  id: string;
  /** The message as sent (images elided). */
  sent: GateReading;
  /** The UPDATE, once sent, when correctAfterMs was given. */
  corrected?: Promise<GateReading>;
}

export interface SimulatedGateOptions {
  format: 'json' | 'xml';
  seed: number;
  /** The gate's clock minus the true clock, in ms. */
  clockOffsetMs: number;
  /** Images per reading and their size in pixels. */
  images: number;
  imageWidth: number;
  imageHeight: number;
  lane?: string;
  idPrefix: string;
}

const SIDES = ['left', 'right', 'rear', 'top'];

/**
 * A container-code OCR gate speaking its real protocol through a transport. `read()` makes it read a
 * truck now — this is the API the lane twin drives; the simulator's own traffic uses it too.
 */
export class SimulatedGate implements RunningSimulator {
  private counter = 0;
  private readonly random: () => number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private sending: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    readonly transport: GateTransport,
    readonly options: SimulatedGateOptions,
  ) {
    this.random = seededRandom(options.seed);
  }

  describe(): string {
    return `ocr-gate ${this.options.format} ${this.transport.describe()}`;
  }

  /** Makes the gate read one truck and send the reading; resolves once sent. */
  async read(cmd: GateReadCommand): Promise<GateReadResult> {
    if (this.stopped) throw new Error('ocr-gate simulator stopped');
    const id = cmd.id ?? `${this.options.idPrefix}-${String(++this.counter).padStart(6, '0')}`;
    const at = new Date((cmd.at ?? new Date()).getTime() + this.options.clockOffsetMs);
    const containers: GateContainer[] = cmd.containers.map((c, i) => {
      const misread = typeof c.misread === 'string' ? c.misread : c.misread ? misreadCode(c.code, this.random) : null;
      const confidence = c.confidence ?? (misread ? 0.55 + this.random() * 0.2 : 0.9 + this.random() * 0.09);
      const code = misread ?? c.code;
      const chars = [...code].map(
        (_, k) => Math.round((misread && misread[k] !== c.code[k] ? 0.3 + this.random() * 0.2 : Math.min(1, confidence + this.random() * 0.05)) * 100) / 100,
      );
      return {
        code,
        confidence: Math.round(confidence * 1000) / 1000,
        charConfidence: chars,
        ...(c.sizeType ? { sizeType: c.sizeType } : {}),
        position: cmd.containers.length > 1 ? (i === 0 ? 'front' : 'rear') : 'single',
        side: SIDES[i % SIDES.length]!,
        camera: `cam-${SIDES[i % SIDES.length]}`,
        ...(c.damage !== undefined ? { damage: c.damage } : {}),
      };
    });
    const items = (cmd.items ?? []).map((x) => ({ ...x, confidence: x.confidence ?? Math.round((0.93 + this.random() * 0.06) * 1000) / 1000 }));
    const confidences = [...containers.map((c) => c.confidence!), ...items.map((x) => x.confidence)];
    const overall = confidences.length > 0 ? Math.min(...confidences) : 0;
    const reading: GateReading = {
      type: 'NEW',
      id,
      time: at.toISOString(),
      direction: cmd.direction ?? 'in',
      ...(this.options.lane ? { lane: this.options.lane } : {}),
      confidence: Math.round(overall * 1000) / 1000,
      containers,
      plates: cmd.plate
        ? [{ number: cmd.plate.number, ...(cmd.plate.country ? { country: cmd.plate.country } : {}), confidence: cmd.plate.confidence ?? 0.95 }]
        : [],
      ...(items.length > 0 ? { items } : {}),
      ...(cmd.method ? { method: cmd.method } : {}),
      ...(cmd.vessel ? { vessel: cmd.vessel } : {}),
      ...(cmd.flight ? { flight: cmd.flight } : {}),
      seals: cmd.seals ?? [],
      images: this.images(cmd.images ?? this.options.images),
    };
    await this.send(reading);
    const result: GateReadResult = { id, sent: { ...reading, images: [] } };
    if (cmd.correctAfterMs !== undefined && cmd.containers.some((c) => c.misread)) {
      result.corrected = new Promise((resolve, reject) => {
        const t = setTimeout(() => {
          this.timers.delete(t);
          const update: GateReading = {
            ...reading,
            type: 'UPDATE',
            revision: 1,
            images: [],
            containers: reading.containers.map((c, i) => ({
              ...c,
              code: cmd.containers[i]!.code,
              confidence: 0.99,
              charConfidence: [...cmd.containers[i]!.code].map(() => 0.99),
            })),
          };
          update.confidence = 0.99;
          this.send(update).then(() => resolve(update), reject);
        }, cmd.correctAfterMs);
        this.timers.add(t);
      });
      result.corrected.catch(() => undefined);
    }
    return result;
  }

  /** A keep-alive message. */
  heartbeat(): Promise<void> {
    return this.queue(() =>
      this.transport.deliver(this.encode({ type: 'HEARTBEAT', time: new Date(Date.now() + this.options.clockOffsetMs).toISOString() }), 'heartbeat'),
    );
  }

  /** Bytes exactly as given (tests of bad input: truncated XML, wrong framing). */
  sendRaw(bytes: Buffer): Promise<void> {
    return this.queue(() => this.transport.sendRaw(bytes));
  }

  /** A message text framed as configured (an unknown field, a hand-made message). */
  sendText(text: string): Promise<void> {
    return this.queue(() => this.transport.deliver(text, 'text'));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    await this.sending.catch(() => undefined);
    await this.transport.stop();
  }

  private encode(m: Parameters<typeof toJson>[0]): string {
    return this.options.format === 'xml' ? toXml(m) : toJson(m);
  }

  private send(reading: GateReading): Promise<void> {
    return this.queue(() => this.transport.deliver(this.encode(reading), reading.id));
  }

  /** Messages leave in the order they were made, one at a time, as from one gate. */
  private queue(fn: () => Promise<void>): Promise<void> {
    const next = this.sending.catch(() => undefined).then(fn);
    this.sending = next;
    return next;
  }

  private images(n: number): GateImage[] {
    return Array.from({ length: n }, (_, i) => ({
      camera: `cam-${SIDES[i % SIDES.length]}`,
      side: SIDES[i % SIDES.length]!,
      contentType: 'image/png',
      data: syntheticPng(this.options.imageWidth, this.options.imageHeight, this.random).toString('base64'),
    }));
  }
}
