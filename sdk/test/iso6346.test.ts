import assert from 'node:assert/strict';
import { containerCheckDigit, isValidContainerNumber, normalizeContainerNumber } from '../src/iso6346.js';

describe('ISO 6346 container numbers', () => {
  it('accepts the published valid examples', () => {
    for (const n of ['CSQU3054383', 'YMLU3030933']) assert.equal(isValidContainerNumber(n), true, n);
  });

  it('computes the check digit by the standard (letters skip multiples of 11)', () => {
    // CSQU305438: C=13 S=30 Q=28 U=32, weights 2^i: 13+60+112+256+3·16+0·32+5·64+4·128+3·256+8·512 = 6185; 6185 mod 11 = 3
    assert.equal(containerCheckDigit('CSQU305438'), 3);
    assert.equal(containerCheckDigit('CSQX305438'), null, 'category must be U, J or Z');
  });

  it('rejects a wrong check digit and malformed numbers, after normalizing spacing', () => {
    assert.equal(isValidContainerNumber('CSQU3054384'), false);
    assert.equal(isValidContainerNumber('CSQU305438'), false);
    assert.equal(isValidContainerNumber('csqu 305438-3'), true);
    assert.equal(normalizeContainerNumber(' csqu-305438.3 '), 'CSQU3054383');
  });
});
