import { poisson } from '@customs-hub/sdk';
import { seededUuid } from './seeded-uuid.js';

const NS = 'http://physics.nist.gov/N42/2011/N42';
const CONTAINERS = ['CSQU3054383', 'YMLU3030933', 'MSCU1234566', 'TGHU9876542', 'MAEU7712344', 'HLXU8123451'];
const KEV_PER_CHANNEL = 3;
const CHANNELS = 1024;

/** What a simulated passage carried, so tests can check the document against it. */
export interface PassageTruth {
  uuid: string;
  container: string;
  source: null | { nuclide: 'Cs-137' | 'K-40'; category: 'Industrial' | 'NORM'; confidencePct: number };
  doseRateUSvH: number;
  slices: number;
}

/**
 * One vehicle passage through a spectroscopic portal, as an N42.42-2011 document: a background
 * measurement, 0.2 s occupied slices of gross counts (2 PVT panels with 3 energy windows, 1 He-3 tube),
 * a NaI spectrum over the occupancy (CountedZeroes), a dose rate, the container id, and — for some
 * passages — an alarm with a nuclide identification (confidence on the 0–100 scale, as some RIIDs write).
 */
/** A vehicle the lane twin drives through: its container as read (none: not read) and what it carries. */
export interface PassageVehicle {
  container?: string;
  load: 'clean' | 'norm' | 'source' | 'shielded-source' | 'neutron-source';
}

export function passageDocument(rand: () => number, n: number, start: Date, vehicle?: PassageVehicle): { xml: string; truth: PassageTruth } {
  const uuid = seededUuid(rand);
  const container = vehicle ? (vehicle.container ?? '') : CONTAINERS[n % CONTAINERS.length]!;
  const roll = rand();
  // Driven: the cargo decides. A shielded source leaks too little for an identification most of the time.
  const load = vehicle?.load ?? (roll < 0.1 ? 'source' : roll < 0.3 ? 'norm' : 'clean');
  const source: PassageTruth['source'] =
    load === 'source' || (load === 'shielded-source' && rand() < 0.3)
      ? { nuclide: 'Cs-137', category: 'Industrial', confidencePct: 80 + Math.floor(rand() * 19) }
      : load === 'norm'
        ? { nuclide: 'K-40', category: 'NORM', confidencePct: 60 + Math.floor(rand() * 30) }
        : null;
  const slices = 5;
  const boost = source ? 1.6 : 1;
  const doseRateUSvH = Math.round((0.1 + (source ? 0.5 * rand() + 0.2 : 0.03 * rand())) * 1000) / 1000;
  const t = (ms: number) => new Date(start.getTime() + ms).toISOString();
  const gross = (id: string, mean: number) => {
    const low = poisson(rand, mean * 0.3);
    const mid = poisson(rand, mean * 0.4);
    return (
      `    <GrossCounts id="${id}" radDetectorInformationReference="${id.split('-').pop()}" energyWindowsReference="W">\n` +
      `      <CountData>${low} ${low + mid + poisson(rand, mean * 0.3)} ${mid}</CountData>\n    </GrossCounts>\n`
    );
  };
  const neutron = (id: string, mean: number) =>
    `    <GrossCounts id="${id}" radDetectorInformationReference="N1"><CountData>${poisson(rand, mean)}</CountData></GrossCounts>\n`;

  let body = '';
  body +=
    `  <RadMeasurement id="BG-${n}">\n    <MeasurementClassCode>Background</MeasurementClassCode>\n    <StartDateTime>${t(-10000)}</StartDateTime>\n` +
    `    <RealTimeDuration>PT1S</RealTimeDuration>\n${gross(`BG${n}-G1`, 256 * 5)}${gross(`BG${n}-G2`, 256 * 5)}${neutron(`BG${n}-N1`, 2)}` +
    `    <OccupancyIndicator>false</OccupancyIndicator>\n  </RadMeasurement>\n`;
  for (let i = 0; i < slices; i++) {
    body +=
      `  <RadMeasurement id="S${n}-${i}">\n    <MeasurementClassCode>Foreground</MeasurementClassCode>\n    <StartDateTime>${t(i * 200)}</StartDateTime>\n` +
      `    <RealTimeDuration>PT0.2S</RealTimeDuration>\n${gross(`S${n}${i}-G1`, 256 * boost)}${gross(`S${n}${i}-G2`, 256 * boost)}${neutron(`S${n}${i}-N1`, 0.4)}` +
      `    <OccupancyIndicator>true</OccupancyIndicator>\n  </RadMeasurement>\n`;
  }
  body +=
    `  <RadMeasurement id="SP-${n}">\n    <MeasurementClassCode>Foreground</MeasurementClassCode>\n    <StartDateTime>${t(0)}</StartDateTime>\n` +
    `    <RealTimeDuration>PT1S</RealTimeDuration>\n    <Spectrum id="SP-${n}-S1" radDetectorInformationReference="S1" energyCalibrationReference="EC">\n` +
    `      <LiveTimeDuration>PT0.98S</LiveTimeDuration>\n      <ChannelData compressionCode="CountedZeroes">${countedZeroes(spectrum(rand, source?.nuclide))}</ChannelData>\n    </Spectrum>\n` +
    `    <DoseRate id="SP-${n}-D1" radDetectorInformationReference="S1"><DoseRateValue units="uSv/h">${doseRateUSvH}</DoseRateValue></DoseRate>\n  </RadMeasurement>\n`;
  if (source) {
    body +=
      `  <AnalysisResults radMeasurementReferences="${Array.from({ length: slices }, (_, i) => `S${n}-${i}`).join(' ')} SP-${n}">\n` +
      `    <AnalysisStartDateTime>${t(1000)}</AnalysisStartDateTime>\n    <AnalysisAlgorithmName>SimID</AnalysisAlgorithmName>\n` +
      `    <RadAlarm><RadAlarmCategoryCode>${source.category === 'NORM' ? 'Isotope' : 'Gamma'}</RadAlarmCategoryCode><RadAlarmDescription>simulated ${source.nuclide}</RadAlarmDescription></RadAlarm>\n` +
      `    <NuclideAnalysisResults><Nuclide><NuclideIdentifiedIndicator>true</NuclideIdentifiedIndicator><NuclideName>${source.nuclide}</NuclideName>` +
      `<NuclideIDConfidenceValue>${source.confidencePct}</NuclideIDConfidenceValue><NuclideCategoryDescription>${source.category}</NuclideCategoryDescription></Nuclide></NuclideAnalysisResults>\n` +
      `  </AnalysisResults>\n`;
  }
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>\n<RadInstrumentData xmlns="${NS}" n42DocUUID="${uuid}">\n` +
    `  <RadInstrumentDataCreatorName>customs-hub n42 simulator</RadInstrumentDataCreatorName>\n` +
    `  <RadInstrumentInformation id="RI"><RadInstrumentManufacturerName>customs-hub</RadInstrumentManufacturerName>` +
    `<RadInstrumentModelName>SimPortal</RadInstrumentModelName><RadInstrumentClassCode>Spectroscopic Portal Monitor</RadInstrumentClassCode></RadInstrumentInformation>\n` +
    `  <RadDetectorInformation id="G1"><RadDetectorCategoryCode>Gamma</RadDetectorCategoryCode><RadDetectorKindCode>PVT</RadDetectorKindCode></RadDetectorInformation>\n` +
    `  <RadDetectorInformation id="G2"><RadDetectorCategoryCode>Gamma</RadDetectorCategoryCode><RadDetectorKindCode>PVT</RadDetectorKindCode></RadDetectorInformation>\n` +
    `  <RadDetectorInformation id="N1"><RadDetectorCategoryCode>Neutron</RadDetectorCategoryCode><RadDetectorKindCode>He3</RadDetectorKindCode></RadDetectorInformation>\n` +
    `  <RadDetectorInformation id="S1"><RadDetectorCategoryCode>Gamma</RadDetectorCategoryCode><RadDetectorKindCode>NaI</RadDetectorKindCode></RadDetectorInformation>\n` +
    (container
      ? `  <RadItemInformation id="ITEM"><RadItemCharacteristics><Characteristic><CharacteristicName>ContainerID</CharacteristicName>` +
        `<CharacteristicValue>${container}</CharacteristicValue><CharacteristicValueUnits>unit-less</CharacteristicValueUnits>` +
        `<CharacteristicValueDataClassCode>string</CharacteristicValueDataClassCode></Characteristic></RadItemCharacteristics></RadItemInformation>\n`
      : '') +
    `  <EnergyCalibration id="EC"><CoefficientValues>0 ${KEV_PER_CHANNEL} 0</CoefficientValues></EnergyCalibration>\n` +
    `  <EnergyWindows id="W"><WindowStartEnergyValues>0 0 100</WindowStartEnergyValues><WindowEndEnergyValues>100 3000 400</WindowEndEnergyValues></EnergyWindows>\n` +
    `${body}</RadInstrumentData>\n`;
  return { xml, truth: { uuid, container, source, doseRateUSvH, slices } };
}

/** A NaI-like spectrum: falling continuum plus, with a source, its photopeak. */
function spectrum(rand: () => number, nuclide: string | undefined): number[] {
  const peakKeV = nuclide === 'Cs-137' ? 662 : nuclide === 'K-40' ? 1461 : 0;
  const out: number[] = [];
  for (let ch = 0; ch < CHANNELS; ch++) {
    const e = ch * KEV_PER_CHANNEL;
    let mean = ch < 8 ? 0 : 400 * Math.exp(-e / 250);
    if (peakKeV) {
      const sigma = 0.03 * peakKeV;
      mean += 150 * Math.exp(-((e - peakKeV) ** 2) / (2 * sigma * sigma));
    }
    out.push(poisson(rand, mean));
  }
  return out;
}

/** N42 CountedZeroes: each run of zeros becomes "0 <run length>". */
export function countedZeroes(channels: number[]): string {
  const out: number[] = [];
  for (let i = 0; i < channels.length;) {
    if (channels[i] === 0) {
      let run = 0;
      while (i < channels.length && channels[i] === 0) {
        run++;
        i++;
      }
      out.push(0, run);
    } else out.push(channels[i++]!);
  }
  return out.join(' ');
}
