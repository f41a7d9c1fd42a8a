import assert from 'node:assert/strict';
import { LineFramer } from '../src/ascii/line-framer.js';
import { LineParser } from '../src/ascii/line-parser.js';

const parser = () => new LineParser({ panels: 4, scanIntervalS: 0.2, backgroundIntervalS: 1, neutronIntervalS: 1 });

describe('rpm ASCII line parser', () => {
  it('reads gamma and neutron count lines with their state and integration time', () => {
    const p = parser();
    assert.deepEqual(p.parse('GS,000261,000270,000249,000255'), {
      ok: true,
      event: { type: 'gamma', state: 'scan', counts: [261, 270, 249, 255], intervalS: 0.2 },
    });
    assert.deepEqual(p.parse('GB,001250,001301,001190,001222'), {
      ok: true,
      event: { type: 'gamma', state: 'background', counts: [1250, 1301, 1190, 1222], intervalS: 1 },
    });
    assert.deepEqual(p.parse('GH,002500,002501,002490,002522'), {
      ok: true,
      event: { type: 'gamma', state: 'high', counts: [2500, 2501, 2490, 2522], intervalS: 1 },
    });
    assert.deepEqual(p.parse('NA,000004,000005,000003,000006'), { ok: true, event: { type: 'neutron', state: 'alarm', counts: [4, 5, 3, 6], intervalS: 1 } });
  });

  it('reads end of occupancy, speed, tamper and the GW window extension', () => {
    const p = parser();
    assert.deepEqual(p.parse('GX,000042,004741,000000,000000'), { ok: true, event: { type: 'occupancy-end', occupancyCount: 42, neutronBackground: 4.741 } });
    assert.deepEqual(p.parse('SP,2.40,5.00,8.05,000000'), { ok: true, event: { type: 'speed', kmh: 8.05 } });
    const mphOnly = p.parse('SP,2.40,5.00');
    assert.ok(mphOnly.ok === true && mphOnly.event?.type === 'speed');
    assert.equal(Math.round(mphOnly.event.kmh * 1000) / 1000, 8.047);
    assert.deepEqual(p.parse('TT,000000,000000,000000,000000'), { ok: true, event: { type: 'tamper', active: true } });
    assert.deepEqual(p.parse('TC,111111,111111,111111,111111'), { ok: true, event: { type: 'tamper', active: false } });
    assert.deepEqual(p.parse('GW,000700,000300,000000,000000'), { ok: true, event: { type: 'windows', low: 700, high: 300 } });
  });

  it('assembles gamma setup from SG1..SG3 and takes its N-sigma', () => {
    const p = parser();
    assert.deepEqual(p.parse('SG1,002000,000400,000005,000010,07.50'), { ok: true, event: null });
    assert.deepEqual(p.parse('SG2,1111,0060.0,3000.0,000001,SUM,SW1.2'), { ok: true, event: null });
    const r = p.parse('SG3,0060.0,3000.0,000020,000006,FW2.0');
    assert.ok(r.ok === true && r.event?.type === 'setup-gamma');
    assert.equal(r.event.nSigma, 7.5);
    assert.equal(r.event.highBackground, 2000);
    assert.equal(r.event.values.algorithm, 'SUM');
    assert.equal(r.event.values.firmwareVersion, 'FW2.0');
    assert.deepEqual(p.parse('SG3,0060.0,3000.0,000020,000006,FW2.0'), { ok: false, reason: 'SG3 without SG1' });
  });

  it('rejects malformed lines with a reason, and tells unknown tags apart', () => {
    const p = parser();
    assert.deepEqual(p.parse('GS,000261,000270,000249'), { ok: false, reason: 'GS: expected 4 panel counts, got 3' });
    assert.deepEqual(p.parse('GB,0012x0,001301,001190,001222'), { ok: false, reason: "GB: count '0012x0' is not a whole number" });
    assert.deepEqual(p.parse('GX,abc'), { ok: false, reason: 'GX: expected occupancy count and neutron background' });
    assert.deepEqual(p.parse('\u0000\u0001garbage'), { ok: false, reason: "no message tag in '\u0000\u0001garbage'" });
    assert.deepEqual(p.parse('ZZ,000001'), { ok: 'unknown' });
  });
});

describe('rpm line framer', () => {
  it('frames lines split across chunks and merged in one chunk, with any line ending', () => {
    const lines: string[] = [];
    const f = new LineFramer(
      (l) => lines.push(l),
      () => assert.fail('no overflow expected'),
    );
    f.push('GB,000001,00');
    f.push('0002,000003,000004\r\nGS,1,2,3,4\nGS,5,6,7,8\rGX,0');
    f.push('00001,000000,000000,000000\r\n');
    assert.deepEqual(lines, ['GB,000001,000002,000003,000004', 'GS,1,2,3,4', 'GS,5,6,7,8', 'GX,000001,000000,000000,000000']);
  });

  it('cuts an over-long line once and resumes at the next line', () => {
    const lines: string[] = [];
    const overflows: string[] = [];
    const f = new LineFramer(
      (l) => lines.push(l),
      (h) => overflows.push(h),
      32,
    );
    f.push('X'.repeat(20));
    f.push('X'.repeat(20));
    f.push('X'.repeat(20) + '\nGS,1,2,3,4\n');
    assert.equal(overflows.length, 1);
    assert.deepEqual(lines, ['GS,1,2,3,4']);
  });
});
