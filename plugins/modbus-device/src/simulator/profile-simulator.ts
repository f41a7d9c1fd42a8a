import { startModbusServer, type Framing, type RunningModbusServer } from '@customs-hub/modbus-link';
import type { Profile, RegisterDef } from '../profile.js';
import { DoseRateScenario } from './dose-rate-scenario.js';
import { seededRandom, gaussian } from '@customs-hub/sdk';
import { fieldName, RegisterImage } from './register-image.js';
import type { Scenario } from './scenario.js';
import { WeighbridgeScenario, type DeckVehicle } from './weighbridge-scenario.js';

export interface ProfileSimulatorOptions {
  host: string;
  port: number;
  /** Default: the profile's. */
  unitId?: number;
  /** Default: the profile's. */
  framing?: Framing;
  seed: number;
  /** How often the simulated world moves on (default 500 ms). */
  tickMs?: number;
  /** Simulated seconds per real second (default 1): tests run a weighbridge's vehicles faster. */
  timeScale?: number;
  /** 'driven': no random traffic; the weighbridge deck stays empty until `vehicle()` puts one on it. */
  traffic?: 'random' | 'driven';
  onError?: (err: Error) => void;
}

function scenarioFor(profile: Profile, rand: () => number, tickS: number, driven: boolean): Scenario | null {
  if (profile.kind === 'radiation.dose-rate') return new DoseRateScenario(rand, tickS);
  if (profile.kind === 'weight') return new WeighbridgeScenario(rand, tickS, driven);
  return null;
}

/**
 * Serves any profile over Modbus with plausible, seed-deterministic values: a scenario for the
 * profile's kind feeds the fields it models; other registers wander within their `simulate` range.
 */
export class ProfileSimulator {
  private readonly rand: () => number;
  private readonly scenario: Scenario | null;
  private readonly wander = new Map<string, number>();
  private image: RegisterImage;
  private server: RunningModbusServer | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Ticks so far: the simulated world's clock. */
  ticks = 0;

  constructor(
    readonly profile: Profile,
    private readonly options: ProfileSimulatorOptions,
  ) {
    this.rand = seededRandom(options.seed);
    this.scenario = scenarioFor(profile, this.rand, ((options.tickMs ?? 500) / 1000) * (options.timeScale ?? 1), options.traffic === 'driven');
    this.image = this.snapshot();
  }

  /** What the device serves right now. */
  get current(): RegisterImage {
    return this.image;
  }

  /** The engineering value the scenario means for a field right now, before encoding (if it models that field). */
  intended(field: string): number | boolean | undefined {
    return this.scenario?.value(field);
  }

  /** Puts a vehicle on the weighbridge deck (driven traffic): it drives on once the deck is free. */
  vehicle(v: DeckVehicle): void {
    if (!(this.scenario instanceof WeighbridgeScenario)) throw new Error(`profile ${this.profile.name} is not a weighbridge`);
    this.scenario.vehicle(v);
  }

  async start(): Promise<void> {
    this.server = await startModbusServer(
      RegisterImage.serve(() => this.image),
      {
        host: this.options.host,
        port: this.options.port,
        framing: this.options.framing ?? this.profile.framing,
        unitId: this.options.unitId ?? this.profile.unitId,
        onError: this.options.onError,
      },
    );
    const tickMs = this.options.tickMs ?? 500;
    // The simulated world keeps the wall clock's pace: on a starved event loop (a loaded machine) the timer
    // fires late, and the ticks it missed are caught up, so a vehicle stands on the deck as long as the twin
    // said, not longer (a deck lagging behind the lane would weigh each truck later and later).
    let due = Date.now() + tickMs;
    this.timer = setInterval(() => {
      const now = Date.now();
      for (let n = 0; due - tickMs / 2 <= now && n < 100; n++) {
        this.advance();
        due += tickMs;
      }
      if (due <= now) due = now + tickMs;
    }, tickMs);
  }

  /** Moves the simulated world one tick on (the timer does this; tests may call it directly). */
  advance(): void {
    this.scenario?.step();
    this.ticks++;
    this.image = this.snapshot();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.server?.close();
    this.server = null;
  }

  private snapshot(): RegisterImage {
    return new RegisterImage(this.profile, (r) => this.scenario?.value(fieldName(r)) ?? this.wandering(r));
  }

  // A bounded random walk for registers no scenario models.
  private wandering(r: RegisterDef): number | boolean {
    if (r.type === 'bool' || r.bit !== undefined) return false;
    const { min, max } = r.simulate ?? defaultRange(r);
    const prev = this.wander.get(r.name) ?? (min + max) / 2;
    const next = Math.min(max, Math.max(min, gaussian(this.rand, prev, (max - min) / 50)));
    this.wander.set(r.name, next);
    return next;
  }
}

// Half the raw range of the type, so encoding never overflows.
function defaultRange(r: RegisterDef): { min: number; max: number } {
  const raw = r.type === 'u16' ? [0, 1000] : r.type === 's16' ? [-1000, 1000] : r.type === 'f32' ? [0, 100] : [0, 100_000];
  const a = raw[0]! * r.scale + r.offset;
  const b = raw[1]! * r.scale + r.offset;
  return { min: Math.min(a, b), max: Math.max(a, b) };
}
