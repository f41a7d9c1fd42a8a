import { seededRandom, type Logger, type RunningSimulator } from '@customs-hub/sdk';
import type { IsapiServer } from './isapi-server.js';
import { misreadPlate } from './plate-misread.js';
import { syntheticPng } from './png.js';

/** What the lane twin (or a test) makes the camera see: the true plate, and how the camera gets it wrong. */
export interface PlateSightCommand {
  plate: string;
  country?: string;
  /** Confidence reported, 0..1 (default 0.9–0.99; 0.5–0.7 for a misread). */
  confidence?: number;
  /** true: one confusable character misread; a string: the plate exactly as misread. */
  misread?: boolean | string;
  /** When the vehicle passed, by the true clock (default now); the camera stamps it with its clock offset. */
  at?: Date;
  direction?: 'in' | 'out';
  vehicle?: { type?: string; color?: string; make?: string; model?: string; speedKmh?: number };
  /** The camera's id of the read (push: eventId; ISAPI: picName); default a counter. */
  id?: string;
  /** Push only: after this many ms an UPDATE with the plate read right (ISAPI lists carry no corrections). */
  correctAfterMs?: number;
}

export interface PlateSightResult {
  id: string;
  /** The plate as the camera reported it. */
  reported: string;
  /** Push with correctAfterMs: resolves once the UPDATE was sent. */
  corrected?: Promise<void>;
}

export interface SimulatedCameraOptions {
  mode: 'isapi' | 'push';
  seed: number;
  clockOffsetMs: number;
  imageWidth: number;
  imageHeight: number;
  idPrefix: string;
  lane?: string;
  camera: string;
  /** Push: the hub's upload route. */
  hubUrl?: string;
  deviceId?: string;
  token?: string;
}

/**
 * An ANPR camera speaking its protocol: holding an ISAPI-style plate list the hub polls, or pushing
 * JSON events (NEW, UPDATE, LOST) to the hub's upload route. `see()` is the API the lane twin drives.
 */
export class SimulatedCamera implements RunningSimulator {
  private counter = 0;
  private readonly random: () => number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private sending: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    readonly options: SimulatedCameraOptions,
    private readonly logger: Logger,
    readonly isapi: IsapiServer | null,
  ) {
    this.random = seededRandom(options.seed);
  }

  describe(): string {
    return this.isapi
      ? `plate-reader camera serving ISAPI plate list on http://127.0.0.1:${this.isapi.port}`
      : `plate-reader camera pushing to ${this.options.hubUrl}/api/v1/devices/${this.options.deviceId}/files`;
  }

  async see(cmd: PlateSightCommand): Promise<PlateSightResult> {
    if (this.stopped) throw new Error('plate-reader simulator stopped');
    const id = cmd.id ?? `${this.options.idPrefix}${String(++this.counter).padStart(6, '0')}`;
    const misread = typeof cmd.misread === 'string' ? cmd.misread : cmd.misread ? misreadPlate(cmd.plate, this.random) : null;
    const reported = misread ?? cmd.plate;
    const confidence = Math.round((cmd.confidence ?? (misread ? 0.5 + this.random() * 0.2 : 0.9 + this.random() * 0.09)) * 100) / 100;
    const at = new Date((cmd.at ?? new Date()).getTime() + this.options.clockOffsetMs);
    const plateImg = syntheticPng(this.options.imageWidth, Math.max(8, Math.round(this.options.imageHeight / 3)), this.random);
    const overview = syntheticPng(this.options.imageWidth, this.options.imageHeight, this.random);
    if (this.isapi) {
      this.isapi.add({
        captureTime: at,
        plateNumber: reported,
        picName: id,
        confidence,
        direction: cmd.direction === 'out' ? 'reverse' : 'forward',
        ...(cmd.country ? { country: cmd.country } : {}),
        ...(this.options.lane ? { laneNo: Number(this.options.lane) || 1 } : {}),
        ...(cmd.vehicle?.type ? { vehicleType: cmd.vehicle.type } : {}),
        ...(cmd.vehicle?.color ? { color: cmd.vehicle.color } : {}),
        plate: plateImg,
        overview,
      });
      return { id, reported };
    }
    const event = (type: 'NEW' | 'UPDATE' | 'LOST', plate: string | null, conf: number, revision?: number) => ({
      eventType: type,
      eventId: id,
      ...(revision !== undefined ? { revision } : {}),
      time: at.toISOString(),
      camera: this.options.camera,
      ...(this.options.lane ? { lane: this.options.lane } : {}),
      direction: cmd.direction === 'out' ? 'leaving' : 'approaching',
      ...(plate
        ? {
            plate: { text: plate, ...(cmd.country ? { country: cmd.country } : {}), confidence: conf },
            licensePlateInfo: {
              PlateNumber: { Value: plate, Likelihood: conf },
              ...(cmd.country ? { CountryCode: { Value: cmd.country, Likelihood: 0.9 } } : {}),
            },
            ...(cmd.vehicle ? { vehicle: cmd.vehicle } : {}),
            ...(type === 'NEW'
              ? {
                  images: [
                    { role: 'plate', contentType: 'image/png', data: plateImg.toString('base64') },
                    { role: 'overview', contentType: 'image/png', data: overview.toString('base64') },
                  ],
                }
              : {}),
          }
        : {}),
    });
    await this.post(event('NEW', reported, confidence), `${id}.json`);
    const result: PlateSightResult = { id, reported };
    const lostAfter = cmd.correctAfterMs !== undefined && misread ? cmd.correctAfterMs : 0;
    if (lostAfter > 0) {
      result.corrected = new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => {
          this.timers.delete(t);
          this.post(event('UPDATE', cmd.plate, 0.98, 1), `${id}-u1.json`)
            .then(() => this.post(event('LOST', null, 0), `${id}-lost.json`))
            .then(resolve, reject);
        }, lostAfter);
        this.timers.add(t);
      });
      result.corrected.catch((err: unknown) => this.logger.warn({ err: String(err) }, 'plate-reader simulator: correction not delivered'));
    }
    return result;
  }

  /** POSTs a body exactly as given (tests of bad input). */
  postRaw(body: string | Buffer, name: string): Promise<void> {
    return this.post(body, name);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    await this.sending.catch(() => undefined);
    await this.isapi?.stop();
  }

  private post(body: object | string | Buffer, name: string): Promise<void> {
    const run = async () => {
      const o = this.options;
      const url = `${o.hubUrl!.replace(/\/$/, '')}/api/v1/devices/${encodeURIComponent(o.deviceId!)}/files?name=${encodeURIComponent(name)}`;
      const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
      const res = await fetch(url, { method: 'POST', body: payload, headers: { authorization: `Bearer ${o.token}`, 'content-type': 'application/json' } });
      const text = await res.text();
      if (!res.ok) throw new Error(`hub answered ${res.status}: ${text.slice(0, 300)}`);
    };
    const next = this.sending.catch(() => undefined).then(run);
    this.sending = next;
    return next;
  }
}
