import type { ObservationDraft } from '@customs-hub/sdk';

/** How a weighbridge profile turns polls into weighings (profile key `weighing:`). */
export interface WeighingRule {
  /** Below this gross mass the deck is empty (no vehicle). */
  emptyBelowKg: number;
  /** Consecutive stable polls at the same mass (within `settleKg`) before the weighing counts. */
  stablePolls: number;
  /** Largest difference between stable polls still counted as the same mass. */
  settleKg: number;
}

type WeightDraft = ObservationDraft<'weight'>;

/**
 * One weighing per vehicle from a polled indicator: the deck goes from empty to loaded, the mass settles
 * (the indicator's motion detector says stable, `stablePolls` polls in a row), and that gross mass is
 * reported once. A vehicle that leaves without ever settling is reported once too, at the highest mass
 * seen and `stable: false`, so the hub still knows it was there and that the reading is doubtful.
 * Empty-deck polls and further polls of a weighed vehicle report nothing.
 */
export class WeighingDetector {
  private onDeck: { since: string; polls: number; settled: number; last: number | null; peak: WeightDraft | null; reported: boolean } | null = null;

  constructor(private readonly rule: WeighingRule) {}

  /** The weighing this poll completes, if any. */
  poll(draft: WeightDraft): WeightDraft | null {
    const { grossKg, stable } = draft.payload;
    if (grossKg < this.rule.emptyBelowKg) {
      const left = this.onDeck;
      this.onDeck = null;
      return left && !left.reported && left.peak ? this.finish(left.peak, left, false) : null;
    }
    const v = (this.onDeck ??= { since: String(draft.deviceTime), polls: 0, settled: 0, last: null, peak: null, reported: false });
    v.polls++;
    if (v.reported) return null;
    if (!v.peak || grossKg > v.peak.payload.grossKg) v.peak = draft;
    if (!stable) {
      v.settled = 0;
      v.last = null;
      return null;
    }
    v.settled = v.last !== null && Math.abs(grossKg - v.last) <= this.rule.settleKg ? v.settled + 1 : 1;
    v.last = grossKg;
    if (v.settled < this.rule.stablePolls) return null;
    v.reported = true;
    return this.finish(draft, v, true);
  }

  private finish(draft: WeightDraft, v: NonNullable<WeighingDetector['onDeck']>, settled: boolean): WeightDraft {
    const ext = (draft.extensions?.['modbus-device'] ?? {}) as Record<string, unknown>;
    return {
      ...draft,
      // the indicator has no record id: the moment the vehicle came on the deck names this weighing
      sourceId: `weighing-${v.since}`,
      // a tare of 0 is an indicator with no tare entered for this vehicle: unknown, not zero
      payload: { ...withoutZeroTare(draft.payload), stable: settled && draft.payload.stable },
      extensions: { ...draft.extensions, 'modbus-device': { ...ext, weighing: { onDeckSince: v.since, polls: v.polls, settled } } },
    };
  }
}

function withoutZeroTare(p: WeightDraft['payload']): WeightDraft['payload'] {
  if (p.tareKg !== 0) return p;
  const { tareKg: _zero, ...rest } = p;
  return rest;
}
