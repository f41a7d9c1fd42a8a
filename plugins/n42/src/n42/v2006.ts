import { RejectedInputError, type ObservationDraft } from '@customs-hub/sdk';
import { childOf, childrenOf, textOf, type XmlElement } from '../xml/tree.js';
import { confidence01, doseRateFactor, measurementClass, nuclideCategory, radiationOf } from './codes.js';
import { NS_2006 as NS, NS_DNDO, type MappedDocument } from './document.js';
import { dateTime, noteTimeQuality } from './date-time.js';
import type { ReadOptions } from './read-options.js';
import { at, bool, channelData, durationS, num, numList } from './values.js';

type SpectrumPayload = ObservationDraft<'radiation.spectrum'>['payload'];

/**
 * Maps an N42InstrumentData (N42.42-2006, with DNDO extensions) document. Each DetectorData sample
 * gives its spectra, gross counts and dose rates; its Occupied flag rides on a gross count (summed
 * from the sample's spectra when the writer sent no gross counts, as spectroscopic portals do).
 */
export function map2006(root: XmlElement, limits: ReadOptions, warnings: string[]): MappedDocument {
  const drafts: ObservationDraft[] = [];
  let uuid: string | undefined;
  for (const m of childrenOf(root, 'Measurement', NS)) {
    uuid ??= m.attrs['UUID']?.trim() || undefined;
    const info = childOf(m, 'InstrumentInformation', NS);
    const samples = childrenOf(m, 'DetectorData', NS);
    if (info) {
      const setup = instrumentEvent(info);
      const startEl = samples.map((s) => childOf(s, 'StartTime', NS)).find(Boolean);
      if (startEl) {
        const time = dateTime(startEl.text, startEl, limits.timeZone);
        setup.deviceTime = time.iso;
        noteTimeQuality(setup, time);
      }
      drafts.push(setup);
    }
    // Simple RIID files put Spectrum straight under Measurement.
    for (const s of childrenOf(m, 'Spectrum', NS)) drafts.push(spectrum(s, undefined, limits));
    for (const sample of samples) drafts.push(...mapSample(sample, limits));
    for (const a of childrenOf(m, 'AnalysisResults', NS)) {
      const d = analysis(a);
      if (d) drafts.push(d);
    }
  }
  if (drafts.length === 0) warnings.push(`${at(root)}: no Measurement with data`);
  const doc: MappedDocument = { edition: '2006', drafts, attachments: [], warnings };
  if (uuid) doc.uuid = uuid;
  return doc;
}

function instrumentEvent(info: XmlElement): ObservationDraft<'device.event'> {
  const values: Record<string, string> = {};
  const put = (key: string, v: string | undefined) => {
    if (v) values[key] = v.slice(0, 200);
  };
  put('manufacturer', textOf(info, 'Manufacturer', NS));
  put('model', textOf(info, 'InstrumentModel', NS));
  put('identifier', textOf(info, 'InstrumentID', NS));
  put('classCode', textOf(info, 'InstrumentType', NS));
  put('lane', textOf(info, 'LaneNumber', NS));
  for (const st of childrenOf(info, 'DetectorStatus', NS_DNDO)) {
    put(`detector.${st.attrs['Detector'] ?? 'unnamed'}`, st.attrs['Operational'] === '0' ? 'not operational' : 'operational');
  }
  const model = [values['manufacturer'], values['model']].filter(Boolean).join(' ');
  return { kind: 'device.event', payload: { event: 'setup', message: model ? `N42 instrument ${model}` : 'N42 instrument', values } };
}

function mapSample(sample: XmlElement, limits: ReadOptions): ObservationDraft[] {
  const startEl = childOf(sample, 'StartTime', NS);
  const start = startEl ? dateTime(startEl.text, startEl, limits.timeZone) : undefined;
  const realEl = childOf(sample, 'SampleRealTime', NS);
  const realS = realEl ? durationS(realEl.text, realEl) : undefined;
  const occEl = childOf(sample, 'Occupied', NS);
  const occupied = occEl ? bool(occEl.text, occEl) : undefined;
  const speedEl = childOf(sample, 'Speed', NS);
  const ext = { n42: { sample: sample.line, ...(speedEl ? { speed: num(speedEl.text, speedEl), speedUnits: speedEl.attrs['Units'] ?? 'unknown' } : {}) } };
  const spectra: ObservationDraft[] = [];
  const counts: ObservationDraft[] = [];
  const doses: ObservationDraft[] = [];
  const detMeasurements = childrenOf(sample, 'DetectorMeasurement', NS);
  for (const dm of detMeasurements) {
    for (const sm of childrenOf(dm, 'SpectrumMeasurement', NS)) {
      for (const s of childrenOf(sm, 'Spectrum', NS)) spectra.push(spectrum(s, realS, limits));
    }
    for (const g of childrenOf(dm, 'GrossCountMeasurement', NS)) counts.push(grossCount(g, dm, realS, occupied));
    for (const c of childrenOf(dm, 'CountDoseData', NS)) {
      const d = doseRate(c, realS);
      if (d) doses.push(d);
    }
  }
  if (occupied !== undefined && counts.length === 0 && spectra.length > 0) {
    const payloads = spectra.map((s) => s.payload as SpectrumPayload);
    const payload: ObservationDraft<'radiation.gross-count'>['payload'] = {
      radiation: 'gamma',
      counts: payloads.reduce((a, p) => a + (p.totalCounts ?? 0), 0),
      durationS: realS ?? payloads[0]!.realTimeS ?? 0,
      occupied,
    };
    if (detMeasurements.length === 1 && detMeasurements[0]!.attrs['Detector']) payload.detector = detMeasurements[0]!.attrs['Detector']!.slice(0, 100);
    const cls = payloads[0]!.measurementClass;
    if (cls) payload.measurementClass = cls;
    counts.push({ kind: 'radiation.gross-count', payload });
  }
  return [...spectra, ...counts, ...doses].map((d) => {
    const out: ObservationDraft = { ...d, ...(start ? { deviceTime: start.iso } : {}), extensions: ext };
    noteTimeQuality(out, start);
    return out;
  });
}

function spectrum(s: XmlElement, sampleRealS: number | undefined, limits: ReadOptions): ObservationDraft<'radiation.spectrum'> {
  const data = childOf(s, 'ChannelData', NS);
  if (!data) throw new RejectedInputError(`${at(s)}: Spectrum without ChannelData`);
  const channels = channelData(data, data.attrs['Compression'], limits.maxChannels);
  const payload: SpectrumPayload = { channels, totalCounts: channels.reduce((a, b) => a + b, 0) };
  if (s.attrs['Detector']) payload.detector = s.attrs['Detector'].slice(0, 100);
  const cls = measurementClass(textOf(s, 'SourceType', NS));
  if (cls) payload.measurementClass = cls;
  const realEl = childOf(s, 'RealTime', NS);
  const realS = realEl ? durationS(realEl.text, realEl) : sampleRealS;
  if (realS !== undefined) payload.realTimeS = realS;
  const liveEl = childOf(s, 'LiveTime', NS);
  if (liveEl) payload.liveTimeS = durationS(liveEl.text, liveEl);
  for (const cal of childrenOf(s, 'Calibration', NS)) {
    if (cal.attrs['Type'] !== 'Energy') continue;
    const coefEl = childOf(childOf(cal, 'Equation', NS) ?? cal, 'Coefficients', NS);
    if (!coefEl) continue;
    const scale = (cal.attrs['EnergyUnits'] ?? 'keV').toLowerCase() === 'mev' ? 1000 : 1;
    payload.energyCalibration = { coefficients: numList(coefEl.text, coefEl).map((c) => c * scale) };
  }
  const draft: ObservationDraft<'radiation.spectrum'> = { kind: 'radiation.spectrum', payload };
  const startEl = childOf(s, 'StartTime', NS);
  if (startEl) {
    const time = dateTime(startEl.text, startEl, limits.timeZone);
    draft.deviceTime = time.iso;
    noteTimeQuality(draft, time);
  }
  return draft;
}

function grossCount(g: XmlElement, dm: XmlElement, realS: number | undefined, occupied: boolean | undefined): ObservationDraft {
  const countEl = childOf(g, 'GrossCounts', NS);
  if (!countEl) throw new RejectedInputError(`${at(g)}: GrossCountMeasurement without GrossCounts`);
  const liveEl = childOf(g, 'LiveTime', NS) ?? childOf(g, 'RealTime', NS);
  const duration = liveEl ? durationS(liveEl.text, liveEl) : realS;
  if (duration === undefined) throw new RejectedInputError(`${at(g)}: no LiveTime, RealTime or SampleRealTime`);
  const payload: ObservationDraft<'radiation.gross-count'>['payload'] = { counts: num(countEl.text, countEl), durationS: duration };
  if (payload.counts < 0) throw new RejectedInputError(`${at(countEl)}: negative count`);
  const detector = g.attrs['Detector'] ?? dm.attrs['Detector'];
  if (detector) payload.detector = detector.slice(0, 100);
  const radiation = radiationOf(g.attrs['DetectorType'] ?? dm.attrs['DetectorType']);
  if (radiation) payload.radiation = radiation;
  if (occupied !== undefined) payload.occupied = occupied;
  return { kind: 'radiation.gross-count', payload };
}

function doseRate(c: XmlElement, realS: number | undefined): ObservationDraft | null {
  const el = childOf(c, 'DoseRate', NS);
  if (!el) return null;
  const payload: ObservationDraft<'radiation.dose-rate'>['payload'] = { doseRateUSvH: num(el.text, el) * doseRateFactor(el.attrs['Units'], at(el)) };
  if (payload.doseRateUSvH < 0) throw new RejectedInputError(`${at(el)}: negative dose rate`);
  if (c.attrs['Detector']) payload.detector = c.attrs['Detector'].slice(0, 100);
  const realEl = childOf(c, 'SampleRealTime', NS);
  const duration = realEl ? durationS(realEl.text, realEl) : realS;
  if (duration !== undefined) payload.durationS = duration;
  return { kind: 'radiation.dose-rate', payload };
}

function analysis(a: XmlElement): ObservationDraft | null {
  const na = childOf(a, 'NuclideAnalysis', NS);
  if (!na) return null;
  const nuclides = childrenOf(na, 'Nuclide', NS).map((n) => {
    const name = textOf(n, 'NuclideName', NS);
    if (!name) throw new RejectedInputError(`${at(n)}: Nuclide without NuclideName`);
    const out: ObservationDraft<'radiation.nuclide-id'>['payload']['nuclides'][number] = { name: name.slice(0, 50) };
    const category = nuclideCategory(textOf(n, 'NuclideType', NS), name);
    if (category) out.category = category;
    const confEl = childOf(n, 'NuclideIDConfidenceIndication', NS) ?? childOf(n, 'NuclideIDConfidence', NS);
    if (confEl) {
      const t = confEl.text.trim();
      if (/^[\d.]+$/.test(t)) out.confidence = confidence01(num(t, confEl), at(confEl));
      else out.confidenceText = t.slice(0, 50);
    }
    const words = textOf(n, 'NuclideIDConfidenceDescription', NS);
    if (words && out.confidenceText === undefined) out.confidenceText = words.slice(0, 50);
    return out;
  });
  const payload: ObservationDraft<'radiation.nuclide-id'>['payload'] = { nuclides: nuclides.slice(0, 100) };
  const algo = textOf(a, 'AnalysisAlgorithmName', NS) ?? textOf(a, 'AnalysisAlgorithmVersion', NS);
  if (algo) payload.algorithm = algo.slice(0, 200);
  return { kind: 'radiation.nuclide-id', payload };
}
