import { RejectedInputError, type Alarm, type ObservationDraft } from '@customs-hub/sdk';
import { childOf, childrenOf, textOf, type XmlElement } from '../xml/tree.js';
import { alarmCategory, confidence01, nuclideCategory } from './codes.js';
import { NS_2011 as NS } from './document.js';
import type { MappedMeasurement } from './measurement2011.js';
import { dateTime, noteTimeQuality, type DeviceTime } from './date-time.js';
import { at, bool, num } from './values.js';

type Nuclide = ObservationDraft<'radiation.nuclide-id'>['payload']['nuclides'][number];

/**
 * Maps one AnalysisResults: its RadAlarms go onto the observations of the measurements it refers to
 * (all of the document's when it refers to none), its nuclide identifications become one nuclide-id.
 */
export function mapAnalysis(a: XmlElement, measurements: MappedMeasurement[], allDrafts: ObservationDraft[], timeZone: string): ObservationDraft[] {
  const targets = referenced(a, measurements);
  const alarms = childrenOf(a, 'RadAlarm', NS).map(toAlarm);
  const out: ObservationDraft[] = [];
  const nar = childrenOf(a, 'NuclideAnalysisResults', NS);
  if (nar.length > 0) {
    const nuclides = nar.flatMap((r) => childrenOf(r, 'Nuclide', NS)).flatMap(toNuclide);
    const payload: ObservationDraft<'radiation.nuclide-id'>['payload'] = { nuclides: nuclides.slice(0, 100) };
    const algorithm = [textOf(a, 'AnalysisAlgorithmName', NS), textOf(a, 'AnalysisAlgorithmCreatorName', NS)].filter(Boolean).join(' / ');
    if (algorithm) payload.algorithm = algorithm.slice(0, 200);
    const draft: ObservationDraft = { kind: 'radiation.nuclide-id', payload, extensions: { n42: { analysis: a.attrs['id'] ?? `line-${a.line}` } } };
    const time = analysisTime(a, targets, timeZone);
    if (time) {
      draft.deviceTime = time.iso;
      noteTimeQuality(draft, time);
    }
    if (alarms.length) draft.alarms = [...alarms];
    out.push(draft);
  }
  if (alarms.length) {
    const onto = (targets.length ? targets.flatMap((m) => m.drafts) : allDrafts).filter((d) => d.kind !== 'device.event');
    for (const d of onto) d.alarms = [...(d.alarms ?? []), ...alarms].slice(0, 100);
    if (onto.length === 0 && out.length === 0) {
      out.push({ kind: 'device.event', payload: { event: 'other', message: 'N42 alarm without measurements' }, alarms });
    }
  }
  return out;
}

function referenced(a: XmlElement, measurements: MappedMeasurement[]): MappedMeasurement[] {
  const ids = (a.attrs['radMeasurementReferences'] ?? '').split(/\s+/).filter(Boolean);
  const groups = (a.attrs['radMeasurementGroupReferences'] ?? '').split(/\s+/).filter(Boolean);
  return measurements.filter((m) => ids.includes(m.id) || m.groups.some((g) => groups.includes(g)));
}

function analysisTime(a: XmlElement, targets: MappedMeasurement[], timeZone: string): DeviceTime | undefined {
  const el = childOf(a, 'AnalysisStartDateTime', NS);
  if (el) return dateTime(el.text, el, timeZone);
  return targets.find((m) => m.start)?.start;
}

function toAlarm(r: XmlElement): Alarm {
  const alarm: Alarm = { category: alarmCategory(textOf(r, 'RadAlarmCategoryCode', NS)), source: 'device', level: 'alarm' };
  const text = [textOf(r, 'RadAlarmDescription', NS), textOf(r, 'RadAlarmLightColor', NS)].filter(Boolean).join(', light ');
  if (text) alarm.message = text.slice(0, 500);
  return alarm;
}

function toNuclide(n: XmlElement): Nuclide[] {
  const identified = childOf(n, 'NuclideIdentifiedIndicator', NS);
  if (identified && !bool(identified.text, identified)) return [];
  const name = textOf(n, 'NuclideName', NS);
  if (!name) throw new RejectedInputError(`${at(n)}: Nuclide without NuclideName`);
  const out: Nuclide = { name: name.slice(0, 50) };
  const category = nuclideCategory(textOf(n, 'NuclideCategoryDescription', NS), name);
  if (category) out.category = category;
  const valueEl = childOf(n, 'NuclideIDConfidenceValue', NS) ?? childOf(n, 'NuclideIDConfidenceIndication', NS);
  if (valueEl) out.confidence = confidence01(num(valueEl.text, valueEl), at(valueEl));
  const words = textOf(n, 'NuclideIDConfidenceDescription', NS);
  if (words) out.confidenceText = words.slice(0, 50);
  const activityEl = childOf(n, 'NuclideActivityValue', NS);
  // N42 2011 gives activity in kBq.
  if (activityEl) out.activityBq = num(activityEl.text, activityEl) * 1000;
  return [out];
}
