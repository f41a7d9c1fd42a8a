import assert from 'node:assert/strict';
import { RejectedInputError } from '@customs-hub/sdk';
import { TestHarness } from '@customs-hub/sdk/testing';
import { readOptionsOf } from '../src/config.js';
import { plugin } from '../src/index.js';
import { dateTime } from '../src/n42/date-time.js';
import { parseDocuments } from '../src/n42/parse.js';
import type { XmlElement } from '../src/xml/tree.js';
import { doc2011, ofKind, readThroughPlugin, tempDir } from './helpers.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const el: XmlElement = { ns: '', local: 'StartDateTime', prefix: '', attrs: {}, children: [], text: '', line: 7 };
const read = (t: string, zone = 'UTC') => dateTime(t, el, zone);
function refusal(t: string): string {
  try {
    read(t);
  } catch (err) {
    assert.ok(err instanceof RejectedInputError);
    return err.reason;
  }
  assert.fail(`'${t}' was accepted`);
}

/** A Kromek D3S-style document: StartDateTime with a basic-format offset. */
const d3s = (start: string) =>
  doc2011(`<RadInstrumentInformation id="I"><RadInstrumentManufacturerName>Kromek</RadInstrumentManufacturerName>
<RadInstrumentModelName>D3S</RadInstrumentModelName><RadInstrumentClassCode>Spectroscopic Personal Radiation Detector</RadInstrumentClassCode></RadInstrumentInformation>
<RadDetectorInformation id="G"><RadDetectorCategoryCode>Gamma</RadDetectorCategoryCode></RadDetectorInformation>
<RadMeasurement id="M1"><MeasurementClassCode>Foreground</MeasurementClassCode><StartDateTime>${start}</StartDateTime>
<RealTimeDuration>PT1S</RealTimeDuration><GrossCounts radDetectorInformationReference="G"><CountData>812</CountData></GrossCounts></RadMeasurement>`);

describe('n42 date-times as instruments write them', () => {
  it('reads basic-format and hour-only offsets, noting the repair; the instant is the one the offset means', () => {
    assert.deepEqual(read('2023-06-28T16:41:59-0400'), { iso: '2023-06-28T20:41:59.000Z', repairs: ['UTC offset -0400 read as -04:00'], zoneAssumed: false });
    assert.deepEqual(read('2023-06-28T16:41:59+0530'), { iso: '2023-06-28T11:11:59.000Z', repairs: ['UTC offset +0530 read as +05:30'], zoneAssumed: false });
    assert.deepEqual(read('2023-06-28T16:41:59+05'), { iso: '2023-06-28T11:41:59.000Z', repairs: ['UTC offset +05 read as +05:00'], zoneAssumed: false });
    assert.deepEqual(
      read('2023-06-28T16:41:59-04:00'),
      { iso: '2023-06-28T20:41:59.000Z', repairs: [], zoneAssumed: false },
      'the standard form needs no repair',
    );
  });

  it('reads fractional seconds of any length, rounding to milliseconds and saying so only when digits were lost', () => {
    assert.equal(read('2024-01-02T03:04:05.1Z').iso, '2024-01-02T03:04:05.100Z');
    assert.deepEqual(read('2024-01-02T03:04:05.123000Z').repairs, [], 'trailing zeros lose nothing');
    const long = read('2024-01-02T03:04:05.123456789Z');
    assert.equal(long.iso, '2024-01-02T03:04:05.123Z');
    assert.deepEqual(long.repairs, ['fractional seconds .123456789 rounded to milliseconds']);
    assert.equal(read('2024-01-02T03:04:05.9996Z').iso, '2024-01-02T03:04:06.000Z', 'rounding carries into the second');
    assert.equal(read('2024-01-02T03:04:05,5Z').iso, '2024-01-02T03:04:05.500Z', 'ISO 8601 decimal comma');
  });

  it("reads a time without an offset in the device's configured zone, across daylight saving, and marks it assumed", () => {
    const winter = read('2024-01-15T12:00:00', 'America/New_York');
    assert.deepEqual(winter, {
      iso: '2024-01-15T17:00:00.000Z',
      repairs: ["device time had no time zone; read in the device's zone America/New_York"],
      zoneAssumed: true,
    });
    assert.equal(read('2024-07-15T12:00:00', 'America/New_York').iso, '2024-07-15T16:00:00.000Z');
    assert.equal(read('2024-07-15T12:00:00', 'Europe/Warsaw').iso, '2024-07-15T10:00:00.000Z');
    assert.equal(read('2024-07-15T12:00:00').iso, '2024-07-15T12:00:00.000Z');
    assert.deepEqual(read('2024-07-15 12:00').repairs, [
      "' ' between date and time read as 'T'",
      'time without seconds read as :00',
      'device time had no time zone; taken as UTC',
    ]);
  });

  it('refuses what is ambiguous or impossible, quoting the value', () => {
    assert.match(refusal('28/06/2023 16:41:59'), /^StartDateTime \(line 7\): '28\/06\/2023 16:41:59' is not an ISO 8601 date-time$/);
    assert.match(refusal('2023-02-29T10:00:00Z'), /is not a valid date-time/);
    assert.match(refusal('2023-13-01T10:00:00Z'), /is not a valid date-time/);
    assert.match(refusal('2023-06-28T24:00:00Z'), /is not a valid date-time/);
    assert.match(refusal('2023-06-28T16:41:59-4'), /is not an ISO 8601 date-time/);
    assert.match(refusal('2023-06-28T16:41:59+15:00'), /UTC offset beyond ±14:00/);
    assert.match(refusal('23-06-28T16:41:59Z'), /is not an ISO 8601 date-time/);
  });

  it('a Kromek D3S file with -0400 offsets ingests, its quality listing the repair and staying good', async () => {
    const path = join(tempDir('d3s'), 'd3s.n42');
    writeFileSync(path, d3s('2023-06-28T16:41:59-0400'));
    const obs = await readThroughPlugin(path);
    const [g] = ofKind(obs, 'radiation.gross-count');
    assert.equal(g!.deviceTime, '2023-06-28T20:41:59.000Z');
    assert.deepEqual(g!.quality, { status: 'good', reasons: ['UTC offset -0400 read as -04:00'] });
  });

  it('a device configured with its zone reads zoneless times in it; the observation is uncertain and says why', () => {
    const { docs } = parseDocuments(d3s('2023-06-28T16:41:59'), 'd3s.n42', readOptionsOf({ timeZone: 'America/New_York' }));
    const g = docs[0]!.drafts.find((d) => d.kind === 'radiation.gross-count')!;
    assert.equal(g.deviceTime, '2023-06-28T20:41:59.000Z');
    assert.deepEqual(g.quality, { status: 'uncertain', reasons: ["device time had no time zone; read in the device's zone America/New_York"] });
  });

  it('refuses a device config whose timeZone is not an IANA zone, naming the key', async () => {
    assert.throws(() => readOptionsOf({ timeZone: 'Eastern' }), /n42 config timeZone: 'Eastern' is not an IANA time zone/);
    const h = new TestHarness(plugin, { config: { timeZone: 'Mars/Olympus' } });
    await assert.rejects(h.start(), /timeZone: 'Mars\/Olympus'/);
  });
});
