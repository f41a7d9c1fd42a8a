import { Readable } from 'node:stream';
import { ObservationRejectedError, type DriverContext, type RawRef } from '@customs-hub/sdk';
import { DEFAULTS, type PlateReaderConfig, type PollConfig } from '../config.js';
import { CameraAuthError, CameraClient, TooLargeError } from '../isapi/camera-client.js';
import { toIsapiTime } from '../isapi/isapi-time.js';
import { parsePlateList, type ListedPlate } from '../isapi/plate-list.js';
import type { PlateImage, PlateRead } from '../message/plate-event.js';
import { CursorStore, type Cursor } from './cursor.js';
import { storeImages } from './images.js';
import { readDraft } from './read-draft.js';

const DIRECTION: Record<string, PlateRead['direction']> = { forward: 'in', in: 'in', approaching: 'in', reverse: 'out', out: 'out', leaving: 'out' };

/**
 * ISAPI-style polling: POST the camera's plate-list URL with `<AfterTime><picTime>cursor</picTime></AfterTime>`,
 * emit each plate not seen yet (fetching its plate and overview pictures), then move the cursor. The cursor
 * moves only past plates the hub stored, so a failed emit is fetched again at the next poll (and a repeat is
 * a duplicate by sourceId). Bad lists are failures with the reason; a bad entry is skipped, the rest kept.
 */
export class PlatePoller {
  private readonly client: CameraClient;
  private readonly cursors: CursorStore;
  private cursor: Cursor | null = null;
  private reportedUnknown = '';
  polls = 0;

  constructor(
    private readonly ctx: DriverContext<PlateReaderConfig>,
    private readonly config: PlateReaderConfig,
    private readonly poll: PollConfig,
  ) {
    this.client = new CameraClient(poll);
    this.cursors = new CursorStore(ctx.dataDir);
  }

  async run(signal: AbortSignal): Promise<void> {
    this.cursor = (await this.cursors.load()) ?? { time: toIsapiTime(new Date(this.ctx.clock.now().getTime() - (this.poll.backfillS ?? 0) * 1000)), seen: [] };
    while (!signal.aborted) {
      try {
        await this.once(signal);
      } catch (err) {
        if (signal.aborted) break;
        if (err instanceof CameraAuthError) this.ctx.status.fault(err.message);
        else this.ctx.status.failure(`poll ${this.listPath()}: ${(err as Error).message}`);
      }
      await this.ctx.clock.sleep(this.poll.intervalMs ?? DEFAULTS.intervalMs, signal).catch(() => undefined);
    }
  }

  private listPath(): string {
    return `/ISAPI/Traffic/channels/${this.poll.channel ?? 1}/vehicleDetect/plates`;
  }

  /** One poll. */
  async once(signal: AbortSignal): Promise<number> {
    const max = this.config.maxMessageBytes ?? DEFAULTS.maxMessageBytes;
    const cursor = this.cursor!;
    const body = `<?xml version="1.0" encoding="UTF-8"?><AfterTime version="2.0"><picTime>${cursor.time}</picTime></AfterTime>`;
    const res = await this.client.request('POST', this.listPath(), max, signal, body);
    this.polls++;
    if (res.status !== 200) throw new Error(`camera answered HTTP ${res.status}: ${res.body.toString('utf8').slice(0, 200)}`);
    const list = parsePlateList(res.body.toString('utf8'));
    const unknown = list.unknownFields.join(', ');
    const problems = [...list.problems];
    if (unknown && unknown !== this.reportedUnknown) problems.push(`unknown field(s) in the plate list ignored: ${unknown}`);
    this.reportedUnknown = unknown;
    const fresh = list.plates.filter(
      (p) => toIsapiTime(p.captureTime) > cursor.time || (toIsapiTime(p.captureTime) === cursor.time && !cursor.seen.includes(p.picName)),
    );
    let source: RawRef | null = null;
    for (const p of fresh) {
      source ??= await this.ctx.storeRaw(Readable.from([res.body]), { contentType: 'application/xml', name: `plates-${cursor.time}.xml`, role: 'source' });
      const readProblems: string[] = [];
      const images = await this.pictures(p, signal, readProblems);
      const read = toRead(p);
      if (!p.zoned) readProblems.push(`captureTime of ${p.picName} has no time zone; taken as UTC`);
      const stored = await storeImages(images, p.picName, this.config.maxImageBytes ?? DEFAULTS.maxImageBytes, this.ctx.storeRaw);
      const draft = readDraft({
        read,
        text: p.picName,
        source,
        images: stored.refs,
        problems: [...readProblems, ...stored.problems],
        minConfidence: this.config.minConfidence ?? DEFAULTS.minConfidence,
        extensions: definedOnly({ laneNo: p.laneNo, plateColor: p.plateColor, isapiDirection: p.direction }),
      });
      try {
        await this.ctx.emit(draft);
      } catch (err) {
        if (!(err instanceof ObservationRejectedError))
          throw new Error(`plate ${p.picName} not stored (${(err as Error).message}); it is fetched again at the next poll`, { cause: err });
        problems.push(`plate ${p.picName} refused by the hub: ${err.reason}`);
      }
      problems.push(...readProblems.map((x) => `${p.picName}: ${x}`), ...stored.problems.map((x) => `${p.picName}: ${x}`));
      await this.advance(p);
    }
    if (problems.length > 0) this.ctx.status.degraded(problems.join('; ').slice(0, 900));
    // One steady reason: a status change per poll would put a status event on the feed every second.
    else this.ctx.status.ok('polling the plate list');
    this.ctx.logger.debug({ listed: list.plates.length, fresh: fresh.length, cursor: this.cursor!.time }, 'plate list polled');
    return fresh.length;
  }

  private async advance(p: ListedPlate): Promise<void> {
    const time = toIsapiTime(p.captureTime);
    const c = this.cursor!;
    this.cursor = time === c.time ? { time, seen: [...c.seen, p.picName] } : { time, seen: [p.picName] };
    await this.cursors.save(this.cursor);
  }

  /** The plate crop and the overview picture; one that cannot be fetched is a problem, not a lost read. */
  private async pictures(p: ListedPlate, signal: AbortSignal, problems: string[]): Promise<PlateImage[]> {
    const out: PlateImage[] = [];
    const wanted: Array<['plate' | 'overview', string | undefined]> = [
      ['plate', this.poll.plateImagePath ?? DEFAULTS.plateImagePath],
      ['overview', this.poll.overviewImagePath],
    ];
    for (const [role, template] of wanted) {
      if (!template) continue;
      const path = template.replace('{picName}', encodeURIComponent(p.picName));
      try {
        const res = await this.client.request('GET', path, this.config.maxImageBytes ?? DEFAULTS.maxImageBytes, signal);
        if (res.status !== 200) {
          problems.push(`${role} picture ${path}: HTTP ${res.status}`);
          continue;
        }
        out.push({ role, data: res.body, ...(res.contentType.startsWith('image/') ? { contentType: res.contentType.split(';')[0]! } : {}) });
      } catch (err) {
        if (err instanceof CameraAuthError || signal.aborted) throw err;
        problems.push(`${role} picture ${path}: ${err instanceof TooLargeError ? `${err.message}; not stored` : (err as Error).message}`);
      }
    }
    return out;
  }
}

function toRead(p: ListedPlate): PlateRead {
  return {
    type: 'NEW',
    id: p.picName,
    time: p.captureTime.toISOString(),
    images: [],
    ...(p.direction ? { direction: DIRECTION[p.direction.toLowerCase()] ?? 'unknown' } : {}),
    ...(p.laneNo !== undefined ? { lane: String(p.laneNo) } : {}),
    plate: definedOnly({
      number: p.plateNumber,
      country: p.country,
      confidence: p.confidence === undefined ? undefined : Math.round(p.confidence * 100) / 10000,
      plateType: p.plateType,
      color: p.plateColor,
    }),
    ...(p.vehicleType || p.color || p.speed !== undefined ? { vehicle: definedOnly({ type: p.vehicleType, color: p.color, speedKmh: p.speed }) } : {}),
  };
}

function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
