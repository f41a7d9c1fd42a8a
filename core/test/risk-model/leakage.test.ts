import assert from 'node:assert/strict';
import { FEATURE_NAMES } from '../../src/risk-model/features.js';
import type { RiskRecord } from '../../src/risk-model/risk-record.js';
import { buildTrainingSet, type LabelledRecord } from '../../src/risk-model/training-set.js';

const rec = (number: string, day: string, importer: string): RiskRecord => ({
  number,
  day,
  item: 0,
  office: '40',
  procedure: 'B',
  importType: '11',
  importUse: '21',
  paymentType: '11',
  mode: '10',
  declarant: 'D1',
  importer,
  seller: 'S1',
  courier: '',
  hs6: '420231',
  departure: 'CN',
  origin: 'CN',
  taxType: 'A',
  originIndicator: 'G',
  taxRate: 8,
  netMassKg: 100,
  value: 1000 + Number(number),
  currency: 'KRW',
});
const col = (name: string) => FEATURE_NAMES.indexOf(name);

describe('risk model: no label leaks across time', () => {
  // Importer X: violations on days 1 and 2, known the next day; then a clean one on day 3 known on day 10.
  const labelled: LabelledRecord[] = [
    { record: rec('1', '2020-01-01', 'X'), violation: true, critical: true, knownOn: '2020-01-01' },
    { record: rec('2', '2020-01-02', 'X'), violation: true, critical: false, knownOn: '2020-01-02' },
    { record: rec('3', '2020-01-03', 'X'), violation: false, critical: false, knownOn: '2020-01-10' },
    { record: rec('4', '2020-01-03', 'X'), violation: false, critical: false, knownOn: '2020-01-03' },
    { record: rec('5', '2020-01-05', 'X'), violation: true, critical: false, knownOn: '2020-01-05' },
    { record: rec('6', '2020-01-11', 'X'), violation: false, critical: false, knownOn: '2020-01-11' },
  ];
  const byNumber = (set: ReturnType<typeof buildTrainingSet>, n: string, f: string) => {
    const order = [...labelled].sort((a, b) => (a.record.day < b.record.day ? -1 : a.record.day > b.record.day ? 1 : 0));
    const i = order.findIndex((l) => l.record.number === n);
    return set.x.values[col(f) * set.x.rows + i]!;
  };

  it('a feature of a declaration reads only outcomes known before its day', () => {
    const set = buildTrainingSet(labelled);
    assert.equal(byNumber(set, '1', 'importer.n'), 0, 'nothing known on the first day');
    assert.equal(byNumber(set, '2', 'importer.n'), 1, 'day 1 known by day 2');
    assert.equal(byNumber(set, '3', 'importer.n'), 2);
    assert.equal(byNumber(set, '4', 'importer.n'), 2, "same-day declarations never see each other's outcomes");
    assert.equal(byNumber(set, '5', 'importer.n'), 3, 'no. 4 known on day 3 counts; no. 3 (known day 10) does not');
    assert.equal(byNumber(set, '6', 'importer.n'), 5);
    assert.equal(byNumber(set, '2', 'importer.seen'), 1, 'declarations of earlier days only');
    assert.equal(byNumber(set, '4', 'importer.seen'), 2);
  });

  it('never its own label: flipping one outcome changes no feature of that declaration or earlier ones', () => {
    const base = buildTrainingSet(labelled);
    for (let k = 0; k < labelled.length; k++) {
      const flipped = labelled.map((l, i) => (i === k ? { ...l, violation: !l.violation, critical: !l.critical } : l));
      const set = buildTrainingSet(flipped);
      const known = labelled[k]!.knownOn;
      for (const l of labelled) {
        if (l.record.day > known) continue;
        for (const f of FEATURE_NAMES) {
          const a = byNumber(base, l.record.number, f);
          const b = byNumber(set, l.record.number, f);
          assert.ok(Object.is(a, b), `${f} of no. ${l.record.number} moved when no. ${labelled[k]!.record.number}'s outcome (known ${known}) flipped`);
        }
      }
    }
  });
});
