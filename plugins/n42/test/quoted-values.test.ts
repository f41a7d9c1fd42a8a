import assert from 'node:assert/strict';
import { RejectedInputError } from '@customs-hub/sdk';
import { parseDocuments } from '../src/n42/parse.js';
import { passageDocument } from '../src/simulator/passage.js';
import { DEFAULT_READ_OPTIONS } from '../src/n42/read-options.js';

describe('n42 refusals quote input values cut short', () => {
  it('names a 2 MB reference attribute in a one-line reason, with its length', () => {
    const huge = 'X'.repeat(2 * 1024 * 1024);
    const { xml } = passageDocument(() => 0.5, 1, new Date('2026-01-01T00:00:00Z'));
    assert.ok(xml.includes('energyCalibrationReference="EC"'), 'the simulator document has a calibration reference');
    const crafted = xml.replace('energyCalibrationReference="EC"', `energyCalibrationReference="${huge}"`);
    let reason = '';
    try {
      parseDocuments(crafted, 'crafted.n42', { ...DEFAULT_READ_OPTIONS, maxBytes: 8 * 1024 * 1024 });
      assert.fail('accepted');
    } catch (err) {
      assert.ok(err instanceof RejectedInputError, String(err));
      reason = err.reason;
    }
    assert.match(reason, /energyCalibrationReference 'X{80}…' \(2097152 characters\) names no EnergyCalibration/);
    assert.ok(reason.length < 300, `reason is ${reason.length} characters`);
  });

  it('caps any refusal reason, whatever a parser put in it', () => {
    const err = new RejectedInputError(`bad: ${'y'.repeat(100_000)}`);
    assert.ok(err.reason.length < 2100 && err.message.length < 2100);
    assert.match(err.reason, /reason cut at 2000 of 100005 characters/);
  });
});
