import { quoteValue, RejectedInputError, type Alarm, type GeoPoint, type ObservationDraft, type Quality } from '@customs-hub/sdk';
import { childOf, childrenOf, textOf, type XmlElement } from '../xml/tree.js';
import { doseFactor, doseRateFactor, faultLevel, measurementClass, radiationOf } from './codes.js';
import { NS_2011 as NS } from './document.js';
import type { Definitions } from './info2011.js';
import { dateTime, noteTimeQuality, type DeviceTime } from './date-time.js';
import type { ReadOptions } from './read-options.js';
import { at, bool, channelData, durationS, num, numList } from './values.js';

/** The drafts one RadMeasurement yields, and its start time for analyses that refer to it. */
export interface MappedMeasurement {
  id: string;
  groups: string[];
  start?: DeviceTime;
  drafts: ObservationDraft[];
}

interface Fault {
  detector?: string;
  code?: string;
  message: string;
  severity?: string;
}

/** Maps one RadMeasurement: spectra, gross counts (with occupancy), dose rates, faults and GPS. */
export function mapMeasurement(m: XmlElement, defs: Definitions, limits: ReadOptions, warnings: string[]): MappedMeasurement {
  const id = m.attrs['id'] ?? `line-${m.line}`;
  const cls = measurementClass(textOf(m, 'MeasurementClassCode', NS));
  const startEl = childOf(m, 'StartDateTime', NS);
  const start = startEl ? dateTime(startEl.text, startEl, limits.timeZone) : undefined;
  if (start?.repairs.length) warnings.push(`${at(startEl!)}: StartDateTime '${startEl!.text.trim().slice(0, 40)}': ${start.repairs.join('; ')}`);
  const realEl = childOf(m, 'RealTimeDuration', NS);
  const realTimeS = realEl ? durationS(realEl.text, realEl) : undefined;
  const occEl = childOf(m, 'OccupancyIndicator', NS);
  const occupied = occEl ? bool(occEl.text, occEl) : undefined;
  const location = geoPoint(m);
  const faults = readFaults(m);
  const speed = childrenOf(m, 'RadItemState', NS)
    .map((s) => childOf(s, 'StateVector', NS))
    .map((v) => v && textOf(v, 'SpeedValue', NS))
    .find(Boolean);

  const base = (detector: string | undefined): Partial<ObservationDraft> => {
    const d: Partial<ObservationDraft> = { extensions: { n42: { measurement: id, ...(speed ? { speedMps: Number(speed) } : {}) } } };
    if (start) d.deviceTime = start.iso;
    const reasons = faults.filter((f) => f.detector === undefined || f.detector === detector).map((f) => `device fault: ${f.message}`);
    if (reasons.length) d.quality = { status: 'uncertain', reasons } satisfies Quality;
    noteTimeQuality(d, start);
    return d;
  };
  const drafts: ObservationDraft[] = [];

  for (const s of childrenOf(m, 'Spectrum', NS)) {
    const ref = s.attrs['radDetectorInformationReference'];
    const data = childOf(s, 'ChannelData', NS);
    if (!data) throw new RejectedInputError(`${at(s)}: Spectrum without ChannelData`);
    const channels = channelData(data, data.attrs['compressionCode'], limits.maxChannels);
    const liveEl = childOf(s, 'LiveTimeDuration', NS);
    const payload: ObservationDraft<'radiation.spectrum'>['payload'] = { channels, totalCounts: channels.reduce((a, b) => a + b, 0) };
    const detector = detectorName(ref, defs);
    if (detector) payload.detector = detector;
    if (cls) payload.measurementClass = cls;
    if (realTimeS !== undefined) payload.realTimeS = realTimeS;
    if (liveEl) payload.liveTimeS = durationS(liveEl.text, liveEl);
    const calRef = s.attrs['energyCalibrationReference'];
    if (calRef !== undefined) {
      const cal = defs.calibrations.get(calRef);
      if (!cal) throw new RejectedInputError(`${at(s)}: energyCalibrationReference ${quoteValue(calRef)} names no EnergyCalibration`);
      payload.energyCalibration = cal;
    }
    if (location) payload.location = location;
    drafts.push({ ...base(ref), kind: 'radiation.spectrum', payload });
  }

  for (const g of childrenOf(m, 'GrossCounts', NS)) {
    const ref = g.attrs['radDetectorInformationReference'];
    const countEl = childOf(g, 'CountData', NS);
    if (!countEl) throw new RejectedInputError(`${at(g)}: GrossCounts without CountData`);
    const values = numList(countEl.text, countEl);
    const liveEl = childOf(g, 'LiveTimeDuration', NS);
    const duration = liveEl ? durationS(liveEl.text, liveEl) : realTimeS;
    if (duration === undefined) throw new RejectedInputError(`${at(g)}: no LiveTimeDuration and no RealTimeDuration in its RadMeasurement`);
    const payload: ObservationDraft<'radiation.gross-count'>['payload'] = { counts: 0, durationS: duration };
    const winRef = g.attrs['energyWindowsReference'];
    if (winRef !== undefined) {
      const windows = defs.windows.get(winRef);
      if (!windows) throw new RejectedInputError(`${at(g)}: energyWindowsReference ${quoteValue(winRef)} names no EnergyWindows`);
      if (windows.length !== values.length) throw new RejectedInputError(`${at(countEl)}: ${values.length} counts for ${windows.length} energy windows`);
      payload.windows = windows.map((w, i) => ({ ...w, counts: values[i]! }));
      const widest = windows.reduce((best, w, i) => (w.endKeV - w.startKeV > windows[best]!.endKeV - windows[best]!.startKeV ? i : best), 0);
      payload.counts = values[widest]!;
    } else if (values.length === 1) {
      payload.counts = values[0]!;
    } else {
      throw new RejectedInputError(`${at(countEl)}: ${values.length} counts but no energyWindowsReference`);
    }
    if (values.some((v) => v < 0)) throw new RejectedInputError(`${at(countEl)}: negative count`);
    const detector = detectorName(ref, defs);
    if (detector) payload.detector = detector;
    const radiation = radiationOf(ref === undefined ? undefined : defs.detectors.get(ref)?.category);
    if (radiation) payload.radiation = radiation;
    if (cls) payload.measurementClass = cls;
    if (occupied !== undefined) payload.occupied = occupied;
    if (location) payload.location = location;
    drafts.push({ ...base(ref), kind: 'radiation.gross-count', payload });
  }

  for (const d of childrenOf(m, 'DoseRate', NS)) {
    const ref = d.attrs['radDetectorInformationReference'];
    const valEl = childOf(d, 'DoseRateValue', NS);
    if (!valEl) throw new RejectedInputError(`${at(d)}: DoseRate without DoseRateValue`);
    const value = num(valEl.text, valEl) * doseRateFactor(valEl.attrs['units'], at(valEl));
    if (value < 0) throw new RejectedInputError(`${at(valEl)}: negative dose rate`);
    const payload: ObservationDraft<'radiation.dose-rate'>['payload'] = { doseRateUSvH: value };
    const detector = detectorName(ref, defs);
    if (detector) payload.detector = detector;
    if (realTimeS !== undefined) payload.durationS = realTimeS;
    if (cls) payload.measurementClass = cls;
    if (location) payload.location = location;
    const total = childrenOf(m, 'TotalDose', NS).find((t) => t.attrs['radDetectorInformationReference'] === ref);
    const totalEl = total && childOf(total, 'TotalDoseValue', NS);
    if (totalEl) payload.totalDoseUSv = num(totalEl.text, totalEl) * doseFactor(totalEl.attrs['units'], at(totalEl));
    drafts.push({ ...base(ref), kind: 'radiation.dose-rate', payload });
  }
  if (childrenOf(m, 'TotalDose', NS).length > 0 && childrenOf(m, 'DoseRate', NS).length === 0) {
    warnings.push(`${at(m)}: TotalDose without a DoseRate is not mapped`);
  }
  if (occupied !== undefined && childrenOf(m, 'GrossCounts', NS).length === 0) {
    warnings.push(`${at(m)}: OccupancyIndicator without GrossCounts is not mapped`);
  }

  for (const f of faults) {
    const alarm: Alarm = { category: 'fault', source: 'device', level: faultLevel(f.severity), message: f.message.slice(0, 500) };
    const values: Record<string, string> = { measurement: id };
    if (f.severity) values['severity'] = f.severity;
    if (f.detector) values['detector'] = detectorName(f.detector, defs) ?? f.detector;
    const payload: ObservationDraft<'device.event'>['payload'] = { event: 'fault', message: f.message.slice(0, 1000), values };
    if (f.code) payload.code = f.code.slice(0, 50);
    const draft: ObservationDraft = { kind: 'device.event', payload, alarms: [alarm] };
    if (start) draft.deviceTime = start.iso;
    noteTimeQuality(draft, start);
    drafts.push(draft);
  }

  const out: MappedMeasurement = { id, groups: (m.attrs['radMeasurementGroupReferences'] ?? '').split(/\s+/).filter(Boolean), drafts };
  if (start) out.start = start;
  return out;
}

function detectorName(ref: string | undefined, defs: Definitions): string | undefined {
  if (ref === undefined) return undefined;
  return defs.detectors.get(ref)?.name ?? ref.slice(0, 100);
}

function geoPoint(m: XmlElement): GeoPoint | undefined {
  for (const state of childrenOf(m, 'RadInstrumentState', NS)) {
    const p = childOf(childOf(state, 'StateVector', NS) ?? state, 'GeographicPoint', NS);
    if (!p) continue;
    const latEl = childOf(p, 'LatitudeValue', NS);
    const lonEl = childOf(p, 'LongitudeValue', NS);
    if (!latEl || !lonEl) throw new RejectedInputError(`${at(p)}: GeographicPoint needs LatitudeValue and LongitudeValue`);
    const lat = num(latEl.text, latEl);
    const lon = num(lonEl.text, lonEl);
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180) throw new RejectedInputError(`${at(p)}: position ${lat}, ${lon} is off the globe`);
    const point: GeoPoint = { lat, lon };
    const altEl = childOf(p, 'ElevationValue', NS);
    if (altEl) point.altM = num(altEl.text, altEl);
    return point;
  }
  return undefined;
}

function readFaults(m: XmlElement): Fault[] {
  const out: Fault[] = [];
  const collect = (state: XmlElement, detector: string | undefined) => {
    for (const f of childrenOf(state, 'Fault', NS)) {
      const fault: Fault = { message: textOf(f, 'FaultDescription', NS) ?? textOf(f, 'FaultCodeValue', NS) ?? 'unspecified fault' };
      const code = textOf(f, 'FaultCodeValue', NS);
      const severity = textOf(f, 'FaultSeverityCode', NS);
      if (code) fault.code = code;
      if (severity) fault.severity = severity;
      if (detector) fault.detector = detector;
      out.push(fault);
    }
  };
  for (const s of childrenOf(m, 'RadInstrumentState', NS)) collect(s, undefined);
  for (const s of childrenOf(m, 'RadDetectorState', NS)) collect(s, s.attrs['radDetectorInformationReference']);
  return out;
}
