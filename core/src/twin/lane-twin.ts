import type { Declaration, DrivenSimulator } from '@customs-hub/sdk';
import { delivery } from '../scenario/traffic.js';
import { Random } from '../scenario/random.js';
import type { Logger } from '../util/logger.js';
import { minimumGapS, type LaneRole } from './lane-roles.js';
import type { TwinConfig } from './twin-config.js';
import { passFor, twinVehicle, type TwinVehicle } from './vehicle-truth.js';
import type { LaneKind } from './sea-air.js';

/** How long after the start the first vehicles arrive. */
const FIRST_ARRIVAL_MS = 10_000;
/** A device of a twin lane and the simulator that plays it. */
export interface DrivenDevice {
  id: string;
  plugin: string;
  role: LaneRole;
  sim: DrivenSimulator;
}

export interface TwinLane {
  id: string;
  kind: LaneKind;
  devices: DrivenDevice[];
}

/** What the twin did with one vehicle: the truth the scenario evaluates cases against. */
export interface TwinRecord {
  vehicle: TwinVehicle;
  lane: string;
  /** ms epoch the vehicle reached the lane. */
  arrival: number;
  /** Per device: when the vehicle was handed to it (ms epoch), or null when the device missed it. */
  passes: Map<string, number | null>;
}

interface Timed {
  at: number;
  run: () => void;
}

/**
 * The lane twin: one vehicle schedule per lane drives every simulator of the lane over its own protocol.
 * Each vehicle's declaration is sent `preArrivalS` before it arrives; then it reaches each device at that
 * device's place in the lane (plus a random delay), and the device's simulator — started with
 * `traffic: driven` — reports what its real counterpart would: a misread code, a missed vehicle, its own
 * clock. The hub only ever sees the protocols.
 */
export class LaneTwin {
  readonly records: TwinRecord[] = [];
  private readonly random: Random;
  private readonly queue: Timed[] = [];
  private readonly nextArrival = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private serial = 0;
  private stopped = false;

  constructor(
    private readonly config: TwinConfig,
    private readonly lanes: TwinLane[],
    private readonly declare: (d: Declaration) => Promise<void>,
    private readonly logger: Logger,
    private readonly options: { now?: () => number; tickMs?: number; ready?: () => boolean; readyWaitMs?: number } = {},
  ) {
    this.random = new Random(config.seed);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Vehicles scheduled so far (every lane). */
  get vehicles(): number {
    return this.serial;
  }

  /**
   * Starts the schedule once `ready()` (the lanes' devices online: a driver still connecting would miss the
   * first vehicles), or after `readyWaitMs` (20 s) whatever they say.
   */
  start(): void {
    const since = this.now();
    const begin = () => {
      if (this.stopped) return;
      const ready = this.options.ready?.() ?? true;
      if (!ready && this.now() - since < (this.options.readyWaitMs ?? 20_000)) {
        this.timer = setTimeout(begin, 100);
        return;
      }
      if (!ready) this.logger.warn('lane twin: some lane devices are not online yet; driving the lanes anyway');
      this.begin();
    };
    begin();
  }

  private begin(): void {
    const now = this.now();
    for (const lane of this.lanes) {
      // The first vehicles are already on their way: declared at once, arriving a little later, so a device that
      // has just come online (a portal's driver reading its setup) is listening when the first one passes.
      let t = now + FIRST_ARRIVAL_MS;
      for (let i = 0; i < this.config.warmUpVehicles && this.serial < (this.config.vehicleLimit || Infinity); i++) {
        this.schedule(lane, t, now);
        t += this.gapMs(lane);
      }
      this.nextArrival.set(lane.id, t);
    }
    this.timer = setInterval(() => this.tick(), this.options.tickMs ?? 100);
    this.logger.info(
      { lanes: this.lanes.map((l) => `${l.id} (${l.devices.map((d) => d.id).join(', ')})`), intervalS: this.config.intervalS },
      "lane twin: driving the lanes' simulators",
    );
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) {
      clearInterval(this.timer);
      clearTimeout(this.timer);
    }
    this.timer = null;
  }

  /** Every vehicle of the limit scheduled, and each handed to its last device. */
  get done(): boolean {
    return this.config.vehicleLimit > 0 && this.serial >= this.config.vehicleLimit && this.queue.length === 0;
  }

  private gapMs(lane: TwinLane): number {
    const min = minimumGapS(lane.devices.map((d) => d.role));
    return Math.round((min + this.random.exp(Math.max(1, this.config.intervalS - min))) * 1000);
  }

  private tick(): void {
    const now = this.now();
    const limit = this.config.vehicleLimit || Infinity;
    for (const lane of this.lanes) {
      let t = this.nextArrival.get(lane.id)!;
      while (t - this.config.preArrivalS * 1000 <= now && this.serial < limit) {
        this.schedule(lane, t, now);
        t += this.gapMs(lane);
      }
      this.nextArrival.set(lane.id, t);
    }
    this.queue.sort((a, b) => a.at - b.at);
    while (this.queue.length > 0 && this.queue[0]!.at <= now) {
      const e = this.queue.shift()!;
      try {
        e.run();
      } catch (err) {
        this.logger.error({ err }, 'lane twin: a device could not be driven');
      }
    }
  }

  /** Plans one vehicle: its declaration now, its passes at each device later. */
  private schedule(lane: TwinLane, arrival: number, now: number): void {
    const n = ++this.serial;
    const d = delivery(this.random, n, lane.id, arrival);
    const v = twinVehicle(this.random, d, lane.kind, lane.devices, this.config);
    v.declaration.number = declarationNumber(lane.id, arrival);
    const record: TwinRecord = { vehicle: v, lane: lane.id, arrival, passes: new Map() };
    this.records.push(record);
    this.logger.info(
      {
        vehicle: v.id,
        lane: lane.id,
        kind: d.kind,
        containers: v.containers,
        plate: d.plate,
        radiation: v.radiation,
        arrivesInS: Math.round((arrival - now) / 1000),
        missedBy: [...v.missedBy],
      },
      'lane twin: vehicle scheduled',
    );
    this.declare(v.declaration).catch((err: Error) =>
      this.logger.warn({ declaration: v.declaration.number, err: err.message }, 'lane twin: declaration not accepted'),
    );
    for (const device of lane.devices) {
      if (v.missedBy.has(device.id)) {
        record.passes.set(device.id, null);
        continue;
      }
      const at = arrival + Math.round((device.role.atS + (v.delayS.get(device.id) ?? 0)) * 1000);
      record.passes.set(device.id, at);
      this.queue.push({ at: Math.max(at, now), run: () => device.sim.pass(passFor(v, device.role, lane.id, new Date(at), this.random)) });
    }
  }
}

/** A declaration number in the usual post/date/serial form, unique per lane and arrival second. */
function declarationNumber(lane: string, arrival: number): string {
  const t = new Date(arrival);
  const two = (x: number) => String(x).padStart(2, '0');
  const date = `${two(t.getUTCDate())}${two(t.getUTCMonth() + 1)}${String(t.getUTCFullYear()).slice(2)}`;
  const serial = `${two(t.getUTCHours())}${two(t.getUTCMinutes())}${two(t.getUTCSeconds())}`;
  return `10702030/${date}/${lane}-${serial}`;
}
