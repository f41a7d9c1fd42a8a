import { History } from './history.js';
import { FEATURES, featureRow } from './features.js';
import type { Matrix } from './gbdt.js';
import type { RiskRecord } from './risk-record.js';

/** A record with its inspection outcome and the day the outcome became known to the hub. */
export interface LabelledRecord {
  record: RiskRecord;
  violation: boolean;
  critical: boolean;
  knownOn: string;
}

/**
 * Features of every record, computed strictly forward in time: records are taken day by day, each day's
 * features read the history as it stood at the start of that day — declarations received on earlier days,
 * and outcomes known (`knownOn`) before that day. Only after the day is its own data added. So no feature
 * of a record ever uses its own outcome, nor any outcome known on or after its day.
 */
export function buildTrainingSet(
  labelled: LabelledRecord[],
  history = new History(),
): { x: Matrix; y: Uint8Array; critical: Uint8Array; days: string[]; history: History } {
  const order = labelled
    .map((_, i) => i)
    .sort((a, b) => (labelled[a]!.record.day < labelled[b]!.record.day ? -1 : labelled[a]!.record.day > labelled[b]!.record.day ? 1 : a - b));
  const pending = [...order].sort((a, b) => (labelled[a]!.knownOn < labelled[b]!.knownOn ? -1 : labelled[a]!.knownOn > labelled[b]!.knownOn ? 1 : 0));
  const rows = labelled.length;
  const cols = FEATURES.length;
  const values = new Float64Array(rows * cols);
  const y = new Uint8Array(rows);
  const critical = new Uint8Array(rows);
  const days: string[] = [];
  const row = new Float64Array(cols);
  let p = 0;
  let i = 0;
  while (i < order.length) {
    const day = labelled[order[i]!]!.record.day;
    while (p < pending.length && labelled[pending[p]!]!.knownOn < day) {
      const l = labelled[pending[p]!]!;
      history.learn(l.record, l.violation, l.critical);
      p++;
    }
    let j = i;
    for (; j < order.length && labelled[order[j]!]!.record.day === day; j++) {
      const at = j;
      const l = labelled[order[j]!]!;
      featureRow(l.record, history, row);
      for (let f = 0; f < cols; f++) values[f * rows + at] = row[f]!;
      y[at] = l.violation ? 1 : 0;
      critical[at] = l.critical ? 1 : 0;
      days.push(day);
    }
    for (let k = i; k < j; k++) history.observe(labelled[order[k]!]!.record);
    i = j;
  }
  // Outcomes known by the end of the window are in the history handed on to scoring.
  while (p < pending.length) {
    const l = labelled[pending[p]!]!;
    history.learn(l.record, l.violation, l.critical);
    p++;
  }
  return { x: { rows, cols, values }, y, critical, days, history };
}
