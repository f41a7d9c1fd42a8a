import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ofKind, readThroughPlugin, tempDir } from './helpers.js';

// A 2006 handheld document as RIIDs write it: no namespace, a spectrum straight under Measurement,
// a detector sample with gross counts and dose rate, and a nuclide analysis on the 0–100 scale.
const RIID_2006 = `<?xml version="1.0"?>
<N42InstrumentData>
<Measurement UUID="11111111-2222-4333-8444-555555555555">
<InstrumentInformation><InstrumentType>RIID</InstrumentType><Manufacturer>Acme</Manufacturer><InstrumentModel>H-1</InstrumentModel><InstrumentID>SN 9</InstrumentID></InstrumentInformation>
<Spectrum Detector="NaI">
<StartTime>2009-06-01T08:00:00Z</StartTime><RealTime>PT30S</RealTime><LiveTime>PT29.5S</LiveTime><SourceType>Background</SourceType>
<Calibration Type="Energy" EnergyUnits="MeV"><Equation Model="Polynomial"><Coefficients>0.001 0.003</Coefficients></Equation></Calibration>
<ChannelData Compression="CountedZeroes">0 2 9 8 0 3 1</ChannelData>
</Spectrum>
<DetectorData>
<StartTime>2009-06-01T08:01:00Z</StartTime><SampleRealTime>PT2S</SampleRealTime><Occupied>0</Occupied>
<DetectorMeasurement Detector="He3" DetectorType="Neutron">
<GrossCountMeasurement><GrossCounts>12</GrossCounts><LiveTime>PT1.5S</LiveTime></GrossCountMeasurement>
</DetectorMeasurement>
<DetectorMeasurement Detector="GM" DetectorType="Gamma">
<CountDoseData><DoseRate Units="uRem/h">12</DoseRate></CountDoseData>
</DetectorMeasurement>
</DetectorData>
<AnalysisResults><NuclideAnalysis>
<Nuclide><NuclideName>Tc-99m</NuclideName><NuclideType>Medical</NuclideType><NuclideIDConfidenceIndication>75</NuclideIDConfidenceIndication></Nuclide>
<Nuclide><NuclideName>Ra-226</NuclideName><NuclideIDConfidence>High</NuclideIDConfidence></Nuclide>
</NuclideAnalysis></AnalysisResults>
</Measurement>
</N42InstrumentData>
`;

describe('n42 2006 edition (crafted handheld document)', () => {
  it('maps spectrum, gross counts with occupancy, dose rate and nuclides', async () => {
    const path = join(tempDir('2006'), 'riid.n42');
    writeFileSync(path, RIID_2006);
    const obs = await readThroughPlugin(path);
    assert.deepEqual(
      obs.map((o) => o.kind),
      ['device.event', 'radiation.spectrum', 'radiation.gross-count', 'radiation.dose-rate', 'radiation.nuclide-id'],
    );
    const [s] = ofKind(obs, 'radiation.spectrum');
    assert.deepEqual(s!.payload.channels, [0, 0, 9, 8, 0, 0, 0, 1]);
    assert.deepEqual([s!.payload.realTimeS, s!.payload.liveTimeS, s!.payload.measurementClass, s!.payload.totalCounts], [30, 29.5, 'background', 18]);
    assert.deepEqual(s!.payload.energyCalibration, { coefficients: [1, 3] }, 'MeV converted to keV');
    assert.equal(s!.deviceTime, '2009-06-01T08:00:00.000Z');
    const [g] = ofKind(obs, 'radiation.gross-count');
    assert.deepEqual(g!.payload, { counts: 12, durationS: 1.5, detector: 'He3', radiation: 'neutron', occupied: false });
    assert.equal(g!.deviceTime, '2009-06-01T08:01:00.000Z');
    const [d] = ofKind(obs, 'radiation.dose-rate');
    assert.ok(Math.abs(d!.payload.doseRateUSvH - 0.12) < 1e-12, '12 µrem/h = 0.12 µSv/h');
    assert.equal(d!.payload.durationS, 2);
    assert.deepEqual(ofKind(obs, 'radiation.nuclide-id')[0]!.payload.nuclides, [
      { name: 'Tc-99m', category: 'Medical', confidence: 0.75 },
      { name: 'Ra-226', category: 'NORM', confidenceText: 'High' },
    ]);
    assert.ok(obs.every((o) => o.sourceId!.startsWith('11111111-2222-4333-8444-555555555555/')));
  });
});
