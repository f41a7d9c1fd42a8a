/**
 * A simulated physical situation. Each tick advances it one step; values are keyed by the
 * observation field they feed ("payload.doseRateUSvH"), so any profile filling that field gets them.
 */
export interface Scenario {
  step(): void;
  value(field: string): number | boolean | undefined;
}
