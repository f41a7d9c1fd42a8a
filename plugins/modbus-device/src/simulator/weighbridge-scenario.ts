import { gaussian, uniform } from '@customs-hub/sdk';
import type { Scenario } from './scenario.js';

type Phase = 'empty' | 'loading' | 'stable' | 'leaving';
const DIVISION_KG = 10; // display resolution of a road weighbridge

/** A vehicle the lane twin puts on the deck: its gross mass and how long it stands still on it. */
export interface DeckVehicle {
  grossKg: number;
  stableS: number;
  tareKg?: number;
}

/**
 * A weighbridge cycling through vehicles: empty deck, a vehicle driving on (mass rising and
 * swinging, not stable), settled at its gross mass (stable), driving off. Random vehicles by default;
 * `driven`, the deck stays empty until a vehicle is put on it (`vehicle()`), as the lane twin does.
 */
export class WeighbridgeScenario implements Scenario {
  private phase: Phase = 'empty';
  private left: number;
  private target = 0;
  private stableS: number | null = null;
  private tare = 0;
  private nextTare = 0;
  private gross = 0;
  private stable = true;
  private readonly waiting: DeckVehicle[] = [];

  constructor(
    private readonly rand: () => number,
    private readonly tickS: number,
    private readonly driven = false,
  ) {
    this.left = this.ticks(4, 8);
  }

  /** Queues a vehicle: it drives on when the deck is free. */
  vehicle(v: DeckVehicle): void {
    this.waiting.push(v);
  }

  step(): void {
    const r = this.rand;
    if (this.driven && this.phase === 'empty' && this.left <= 1) {
      // an empty deck waits for the next vehicle, but at least a moment between two
      if (this.waiting.length === 0) this.left = 2;
    }
    if (--this.left <= 0) this.next();
    switch (this.phase) {
      case 'empty':
        this.gross = Math.abs(gaussian(r, 0, 3)) < 8 ? 0 : DIVISION_KG;
        this.stable = true;
        break;
      case 'loading': {
        const k = 1 - this.left / this.phaseLength;
        this.gross = this.target * Math.min(1, k * 1.15) + gaussian(r, 0, this.target * 0.03);
        this.stable = false;
        break;
      }
      case 'stable':
        this.gross = this.target;
        this.stable = true;
        break;
      case 'leaving':
        this.gross = this.target * (this.left / this.phaseLength) + gaussian(r, 0, this.target * 0.02);
        this.stable = false;
        break;
    }
    this.gross = Math.max(0, Math.round(this.gross / DIVISION_KG) * DIVISION_KG);
  }

  value(field: string): number | boolean | undefined {
    switch (field) {
      case 'payload.grossKg':
        return this.gross;
      case 'payload.stable':
        return this.stable;
      case 'payload.tareKg':
        return this.tare;
      case 'extensions.centreOfZero':
        return this.gross === 0;
      case 'extensions.overload':
        return this.gross > 60_000;
      default:
        return undefined;
    }
  }

  private phaseLength = 1;
  private nextStableS: number | null = null;

  private next(): void {
    const order: Phase[] = ['empty', 'loading', 'stable', 'leaving'];
    this.phase = order[(order.indexOf(this.phase) + 1) % order.length]!;
    this.stableS = null;
    if (this.phase === 'loading') {
      const queued = this.driven ? this.waiting.shift() : undefined;
      if (queued) {
        this.target = Math.round(queued.grossKg / DIVISION_KG) * DIVISION_KG;
      } else {
        // mostly trucks and container carriers, some cars and vans
        this.target = Math.round((this.rand() < 0.75 ? uniform(this.rand, 12_000, 44_000) : uniform(this.rand, 1_200, 3_500)) / DIVISION_KG) * DIVISION_KG;
      }
      this.nextStableS = queued ? queued.stableS : null;
      this.nextTare = queued?.tareKg ?? 0;
    }
    if (this.phase === 'stable') this.stableS = this.nextStableS;
    // the indicator recalls the vehicle's stored tare while it is on the deck
    this.tare = this.phase === 'empty' ? 0 : this.nextTare;
    const seconds: Record<Phase, [number, number]> = { empty: this.driven ? [1, 2] : [4, 10], loading: [3, 5], stable: [6, 12], leaving: [2, 4] };
    const span = this.stableS !== null ? ([this.stableS, this.stableS] as [number, number]) : seconds[this.phase];
    this.left = this.phaseLength = this.ticks(...span);
  }

  private ticks(minS: number, maxS: number): number {
    return Math.max(1, Math.round(uniform(this.rand, minS, maxS) / this.tickS));
  }
}
