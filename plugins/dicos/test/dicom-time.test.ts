import assert from 'node:assert/strict';
import { dicomDateTime, dicomDt } from '../src/dicom-time.js';

describe('dicos: DICOM dates and times', () => {
  it('reads DA + TM as UTC when no offset is given, to the millisecond', () => {
    assert.equal(dicomDateTime('20231223', '143710.984643'), '2023-12-23T14:37:10.984Z');
    assert.equal(dicomDateTime('20231223', '1437'), '2023-12-23T14:37:00.000Z');
    assert.equal(dicomDateTime('20231223', undefined), '2023-12-23T00:00:00.000Z');
  });

  it('applies the Timezone Offset From UTC', () => {
    assert.equal(dicomDateTime('20231223', '143710', '+0300'), '2023-12-23T11:37:10.000Z');
    assert.equal(dicomDateTime('20231223', '013710', '-0500'), '2023-12-23T06:37:10.000Z');
  });

  it('reads DT values with and without an offset', () => {
    assert.equal(dicomDt('20231223143711.826279'), '2023-12-23T14:37:11.826Z');
    assert.equal(dicomDt('19440606063000.000000+0000'), '1944-06-06T06:30:00.000Z');
    assert.equal(dicomDt('20231223143711+0100'), '2023-12-23T13:37:11.000Z');
  });

  it('gives undefined for malformed values rather than a wrong instant', () => {
    assert.equal(dicomDateTime('2023-12-23', '143710'), undefined);
    assert.equal(dicomDateTime('20231340', '143710'), undefined);
    assert.equal(dicomDateTime('20231223', '14:37'), undefined);
    assert.equal(dicomDt('yesterday'), undefined);
    assert.equal(dicomDateTime(undefined, '143710'), undefined);
  });
});
