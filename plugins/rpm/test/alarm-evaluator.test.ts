import assert from 'node:assert/strict';
import { evaluateGamma, evaluateNeutron, evaluateNorm } from '../src/passage/alarm-evaluator.js';

const round2 = (x: number) => Math.round(x * 100) / 100;

describe('rpm alarm evaluation', () => {
  // 10 samples of 200 ms at exactly background (1000 cps per panel → 200 a sample); panel 1 gets +100 in samples 4..8.
  const samples = Array.from({ length: 10 }, (_, i) => [i >= 4 && i <= 8 ? 300 : 200, 200, 200, 200]);

  it('takes the larger of the panel-sum and single-panel sigma over a 1 s window', () => {
    const { channel, hot } = evaluateGamma({ samples, intervalS: 0.2, backgroundCps: [1000, 1000, 1000, 1000] }, 4, 8);
    // Window 4..8: panel 1 has 1500 counts against 1000 expected; the sum 4500 against 4000.
    const panelSigma = (1500 - 1000) / Math.sqrt(1000);
    const sumSigma = (4500 - 4000) / Math.sqrt(4000);
    assert.ok(panelSigma > 8 && sumSigma < 8, 'the case separates the two rules');
    assert.equal(channel.maxSigma, round2(panelSigma));
    assert.equal(channel.alarm, true);
    assert.deepEqual(channel.background, [200, 200, 200, 200]);
    assert.deepEqual(channel.panels[0], { counts: 2500, samples: 10, peak: 300 });
    assert.deepEqual(hot.slice(0, 4), [false, true, true, true], 'windows above nSigma/2 mark their samples hot');
  });

  it('stays quiet when the foreground matches background, and without background', () => {
    const flat = Array.from({ length: 10 }, () => [200, 200, 200, 200]);
    assert.equal(evaluateGamma({ samples: flat, intervalS: 0.2, backgroundCps: [1000, 1000, 1000, 1000] }, 4, 8).channel.maxSigma, 0);
    const none = evaluateGamma({ samples: flat, intervalS: 0.2, backgroundCps: null }, 4, 8).channel;
    assert.equal(none.alarm, false);
    assert.deepEqual(none.background, []);
  });

  it('alarms on neutrons when a second of counts, summed over panels, reaches the threshold', () => {
    const n = evaluateNeutron(
      {
        samples: [
          [1, 0, 0, 1],
          [5, 5, 4, 6],
          [0, 1, 0, 0],
        ],
        intervalS: 1,
        backgroundCps: [0.5, 0.5, 0.5, 0.5],
      },
      4,
      10,
    );
    assert.equal(n.alarm, true);
    assert.equal(n.maxSigma, round2((20 - 2) / Math.sqrt(2)));
    const quiet = evaluateNeutron({ samples: [[1, 2, 1, 2]], intervalS: 1, backgroundCps: [0.5, 0.5, 0.5, 0.5] }, 4, 10);
    assert.equal(quiet.alarm, false);
  });

  it('flags NORM when the alarming part of the passage has a harder spectrum than background', () => {
    const windows: Array<[number, number] | null> = [[700, 300], [600, 400], [600, 400], null];
    const hot = [false, true, true, false];
    const r = evaluateNorm(windows, hot, 7 / 3, true, 0.15)!;
    assert.equal(r.value, 1.5);
    assert.equal(r.norm, true, '1.5 is more than 15 % below 2.333');
    assert.equal(evaluateNorm(windows, hot, 7 / 3, false, 0.15)!.norm, false, 'no NORM flag without a gamma alarm');
    assert.equal(evaluateNorm([[850, 150]], [true], 7 / 3, true, 0.15)!.norm, false, 'a softer spectrum is not NORM');
    assert.equal(evaluateNorm([null], [true], 7 / 3, true, 0.15), undefined, 'no windows, no ratio');
  });
});
