import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { plugin } from '../src/index.js';
import { ofKind, readThroughPlugin, sampleFiles, SAMPLES } from './helpers.js';

const sample = (name: string) => readThroughPlugin(join(SAMPLES, name));
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Channel counts as written in the file's first uncompressed ChannelData, read independently of the plugin. */
function plainChannels(file: string): number[] {
  const m = /<ChannelData compressionCode="None">([\s\S]*?)<\/ChannelData>/.exec(readFileSync(join(SAMPLES, file), 'utf8'))!;
  return m[1]!.trim().split(/\s+/).map(Number);
}

describe('n42 samples (test/fixtures)', () => {
  it('the FileReader accepts every sample and nothing else', () => {
    for (const f of sampleFiles()) assert.ok(plugin.files!.accepts({ name: f, head: readFileSync(join(SAMPLES, f)).subarray(0, 4096) }), f);
    assert.equal(plugin.files!.accepts({ name: 'x.xml', head: Buffer.from('<?xml version="1.0"?><DicomThing/>') }), false);
  });

  it('every sample ingests into valid observations with idempotency keys and the raw source', async () => {
    for (const f of sampleFiles()) {
      const obs = await sample(f);
      assert.ok(obs.length > 0, f);
      assert.equal(new Set(obs.map((o) => o.sourceId)).size, obs.length, `${f}: source ids unique`);
      const size = readFileSync(join(SAMPLES, f)).length;
      for (const o of obs) assert.deepEqual([o.raw?.[0]?.size, o.raw?.[0]?.role, o.raw?.[0]?.name], [size, 'source', f]);
    }
  });

  it('annex B: spectrum with polynomial calibration, times and detector', async () => {
    const obs = await sample('nist-annex-b.n42');
    const [s] = ofKind(obs, 'radiation.spectrum');
    assert.equal(ofKind(obs, 'radiation.spectrum').length, 1);
    assert.deepEqual(s!.payload.channels, plainChannels('nist-annex-b.n42'));
    assert.equal(s!.payload.channels.length, 256);
    assert.deepEqual(s!.payload.energyCalibration, { coefficients: [-21.8, 12.1, 6.55e-3] });
    assert.equal(s!.payload.realTimeS, 60);
    assert.equal(s!.payload.liveTimeS, 59.61);
    assert.equal(s!.payload.measurementClass, 'foreground');
    assert.equal(s!.payload.totalCounts, sum(plainChannels('nist-annex-b.n42')));
    assert.equal(s!.deviceTime, '2003-11-23T06:45:19.000Z');
    assert.ok(s!.sourceId!.startsWith('d72b7fa7-4a20-43d4-b1b2-7e3b8c6620c1/'));
    const [setup] = ofKind(obs, 'device.event');
    assert.equal(setup!.deviceTime, '2003-11-23T06:45:19.000Z', 'dated like the first measurement');
    assert.deepEqual(setup!.payload.values, {
      manufacturer: 'RIIDs R Us',
      model: 'iRIID',
      classCode: 'Radionuclide Identifier',
      'version.Software': '1.1',
      'detector.RadDetectorInformation-1': 'Gamma NaI',
    });
  });

  it('annex B alternate: energy boundaries instead of coefficients; same UUID as annex B but no key collision', async () => {
    const alt = await sample('nist-annex-b-alternate-energy-calibration.n42');
    const [s] = ofKind(alt, 'radiation.spectrum');
    const bounds = s!.payload.energyCalibration!.energyBoundaries!;
    assert.equal(bounds.length, 257);
    assert.deepEqual([bounds[0], bounds[1], bounds[256]], [0.8, 1.693, 3505.061]);
    assert.equal(s!.payload.channels.length, 256);
    const plain = await sample('nist-annex-b.n42');
    const keys = new Set(plain.map((o) => o.sourceId));
    assert.ok(alt.every((o) => !keys.has(o.sourceId)));
  });

  it('annex C: CountedZeroes decodes to the same spectrum the file also gives uncompressed; counts, dose rates, nuclides', async () => {
    const obs = await sample('nist-annex-c.n42');
    const spectra = ofKind(obs, 'radiation.spectrum');
    assert.deepEqual(
      spectra.map((s) => s.payload.measurementClass),
      ['background', 'foreground'],
    );
    assert.deepEqual(spectra[1]!.payload.channels, plainChannels('nist-annex-c.n42'));
    assert.deepEqual(
      spectra.map((s) => s.payload.liveTimeS),
      [59.7, 59.61],
    );
    assert.deepEqual(
      ofKind(obs, 'radiation.gross-count').map((g) => [g.payload.counts, g.payload.durationS, g.payload.detector, g.payload.radiation]),
      [
        [549, 60, 'RadDetectorInformation-2', 'gamma'],
        [549, 60, 'RadDetectorInformation-2', 'gamma'],
      ],
    );
    assert.deepEqual(
      ofKind(obs, 'radiation.dose-rate').map((d) => [d.payload.doseRateUSvH, d.payload.measurementClass]),
      [
        [0.3, 'background'],
        [0.5, 'foreground'],
      ],
    );
    const [nid] = ofKind(obs, 'radiation.nuclide-id');
    assert.deepEqual(nid!.payload, {
      algorithm: 'SuperNID / Spectrometers R Us',
      nuclides: [
        { name: 'Cs-137', category: 'Industrial', confidence: 0.99 },
        { name: 'K-40', category: 'NORM', confidence: 0.99 },
      ],
    });
    assert.equal(nid!.deviceTime, '2003-11-23T06:46:20.000Z');
  });

  it('annex D: portal gross counts per panel with energy windows and occupancy', async () => {
    const obs = await sample('nist-annex-d.n42');
    const counts = ofKind(obs, 'radiation.gross-count');
    assert.equal(counts.length, 42);
    const aa1 = counts.find((c) => c.payload.detector === 'Aa1')!;
    assert.deepEqual(aa1.payload.windows, [
      { startKeV: 0, endKeV: 100, counts: 5 },
      { startKeV: 0, endKeV: 3000, counts: 22 },
      { startKeV: 100, endKeV: 400, counts: 200 },
    ]);
    assert.equal(aa1.payload.counts, 22, 'the widest window');
    assert.deepEqual(
      counts
        .filter((c) => c.payload.radiation === 'neutron')
        .map((c) => c.payload.counts)
        .slice(0, 2),
      [0, 1],
    );
    assert.ok(counts.every((c) => c.payload.durationS === 0.1 && c.payload.measurementClass === 'background'));
    // M-3..M-5 are occupied, six detectors each.
    assert.equal(counts.filter((c) => c.payload.occupied === true).length, 18);
    assert.deepEqual([...new Set(counts.filter((c) => c.payload.occupied).map((c) => (c.extensions as any).n42.measurement))], ['M-3', 'M-4', 'M-5']);
    assert.equal(counts[0]!.deviceTime, '2003-11-23T06:45:00.000Z');
    assert.ok(obs.every((o) => o.alarms.length === 0));
  });

  it('annex D alarmed: RadAlarms on the measurements, faults as events, speed, SNM identification', async () => {
    const obs = await sample('nist-annex-d-alarmed.n42');
    const counts = ofKind(obs, 'radiation.gross-count');
    assert.ok(counts.every((c) => c.alarms.map((a) => a.category).join() === 'gamma,neutron'));
    assert.equal(counts[0]!.alarms[0]!.message, 'SPRT alarm, light Red');
    const faults = ofKind(obs, 'device.event').filter((e) => e.payload.event === 'fault');
    assert.equal(faults.length, 2);
    assert.deepEqual([faults[0]!.payload.code, faults[0]!.payload.message, faults[0]!.alarms[0]!.level], ['5', 'Overspeed', 'warning']);
    const faulted = counts.filter((c) => c.quality.status === 'uncertain');
    assert.equal(faulted.length, 12);
    assert.ok(faulted.every((c) => (c.extensions as any).n42.speedMps === 15));
    const [nid] = ofKind(obs, 'radiation.nuclide-id');
    assert.deepEqual(nid!.payload.nuclides, [{ name: 'Unknown', category: 'SNM', confidenceText: 'Low' }]);
    assert.deepEqual(
      nid!.alarms.map((a) => a.category),
      ['gamma', 'neutron'],
    );
  });

  it('annex F: dose rates with GPS', async () => {
    const obs = await sample('nist-annex-f.n42');
    const doses = ofKind(obs, 'radiation.dose-rate');
    assert.deepEqual(
      doses.map((d) => d.payload.doseRateUSvH),
      [10.2, 10.0, 10.4],
    );
    assert.ok(doses.every((d) => d.payload.durationS === 1));
    assert.deepEqual(doses[0]!.payload.location, { lat: 42.123, lon: -22.456, altM: 5.2 });
    assert.deepEqual(
      doses.map((d) => d.deviceTime),
      ['2003-11-23T06:46:30.000Z', '2003-11-23T06:46:31.000Z', '2003-11-23T06:46:32.000Z'],
    );
  });

  it('annex G: mobile system spectra and neutron counts along a GPS track, identifications per measurement', async () => {
    const obs = await sample('nist-annex-g.n42');
    const spectra = ofKind(obs, 'radiation.spectrum');
    assert.deepEqual(spectra[0]!.payload.energyCalibration, { coefficients: [0.5, 3.15, 0.0013] });
    assert.deepEqual(
      spectra.map((s) => s.payload.location),
      [
        { lat: 41.608476, lon: -72.88579, altM: 84 },
        { lat: 41.608494, lon: -72.885999, altM: 84 },
      ],
    );
    assert.deepEqual(
      ofKind(obs, 'radiation.gross-count').map((g) => [g.payload.counts, g.payload.radiation, g.payload.durationS]),
      [
        [2, 'neutron', 3],
        [3, 'neutron', 3],
      ],
    );
    const nids = ofKind(obs, 'radiation.nuclide-id');
    assert.deepEqual(
      nids.map((n) => n.deviceTime),
      ['2003-11-23T06:45:19.000Z', '2003-11-23T06:48:22.000Z'],
    );
    // No category in the file: Cs-137 is known as industrial.
    assert.deepEqual(nids[0]!.payload.nuclides, [{ name: 'Cs-137', category: 'Industrial', confidence: 0.99 }]);
  });

  it('annex H and L: neutron handheld counts with GPS; L carries a declared vendor extension that is ignored', async () => {
    for (const f of ['nist-annex-h.n42', 'nist-annex-l.n42']) {
      const counts = ofKind(await sample(f), 'radiation.gross-count');
      assert.deepEqual(
        counts.map((c) => [c.payload.counts, c.payload.durationS, c.payload.radiation]),
        [
          [4, 10, 'neutron'],
          [2, 10, 'neutron'],
        ],
        f,
      );
      assert.deepEqual(counts[0]!.payload.location, { lat: 35.840603, lon: -106.267576, altM: 2052 }, f);
    }
  });

  it('annex I: SPRD with a detector fault; zoneless times taken as UTC and flagged', async () => {
    const obs = await sample('nist-annex-i.n42');
    const [fault] = ofKind(obs, 'device.event').filter((e) => e.payload.event === 'fault');
    assert.deepEqual(fault!.payload, {
      event: 'fault',
      code: '123',
      message: 'Stabilizer out of range fault',
      values: { measurement: 'M113', severity: 'Error', detector: 'Gamma' },
    });
    assert.equal(fault!.alarms[0]!.level, 'alarm');
    const doses = ofKind(obs, 'radiation.dose-rate');
    assert.deepEqual(
      doses.map((d) => d.payload.doseRateUSvH),
      [0.11, 0.11],
    );
    assert.equal(doses[0]!.deviceTime, '2010-03-15T22:30:12.000Z');
    assert.deepEqual(doses[1]!.quality.reasons, ['device fault: Stabilizer out of range fault', 'device time had no time zone; taken as UTC']);
    // The neutron detector was not faulted.
    const neutron = ofKind(obs, 'radiation.gross-count')[1]!;
    assert.deepEqual(neutron.quality.reasons, ['device time had no time zone; taken as UTC']);
    assert.deepEqual(
      ofKind(obs, 'radiation.nuclide-id').map((n) => n.payload.nuclides[0]),
      [
        { name: 'K-40', category: 'NORM', confidence: 0.99 },
        { name: 'K-40', category: 'NORM', confidence: 0.99 },
      ],
    );
  });

  it('ORTEC 2006 portal: 1064 HPGe spectra (CountedZeroes to 16384 channels), occupancy per 0.25 s sample', async () => {
    const file = 'ortec-spectroscopic-portal-2006.n42';
    const obs = await sample(file);
    const spectra = ofKind(obs, 'radiation.spectrum');
    assert.equal(spectra.length, 1064);
    assert.ok(spectra.every((s) => s.payload.channels.length === 16384));
    const first = spectra[0]!;
    assert.deepEqual(
      [first.payload.detector, first.payload.realTimeS, first.payload.liveTimeS, first.payload.measurementClass],
      ['A1', 0.25, 0.24, 'foreground'],
    );
    assert.deepEqual(first.payload.energyCalibration, { coefficients: [0.1401463, 0.187422, -2.07732e-9] });
    assert.equal(first.deviceTime, '2010-01-24T00:08:24.078Z');
    // Independent decode of the first ChannelData: non-zero values in order, zero runs skipped.
    const text = /<ChannelData Compression="CountedZeroes">([\s\S]*?)<\/ChannelData>/
      .exec(readFileSync(join(SAMPLES, file), 'utf8'))![1]!
      .trim()
      .split(/\s+/)
      .map(Number);
    const nonZero = text.filter((v, i) => v !== 0 && text[i - 1] !== 0);
    assert.deepEqual(
      first.payload.channels.filter((v) => v !== 0),
      nonZero,
    );
    assert.equal(first.payload.channels.indexOf(1), 94);
    const gross = ofKind(obs, 'radiation.gross-count');
    assert.equal(gross.length, 133);
    assert.ok(gross.every((g) => g.payload.occupied === true && g.payload.durationS === 0.25 && g.payload.detector === 'ORTEC Portal'));
    assert.equal(gross[0]!.payload.counts, sum(spectra.slice(0, 8).map((s) => s.payload.totalCounts!)));
    const [setup] = ofKind(obs, 'device.event');
    assert.equal(setup!.deviceTime, '2010-01-24T00:08:24.078Z');
    assert.deepEqual(
      [setup!.payload.values!['manufacturer'], setup!.payload.values!['model'], setup!.payload.values!['identifier'], setup!.payload.values!['detector.B4']],
      ['ORTEC', 'OSASP', 'Serial #10000033', 'operational'],
    );
    assert.ok(obs.every((o) => o.sourceId!.startsWith('fc0fe9d6-cf29-4256-a54d-88b09644496e/')));
  });
});
