import { RejectedInputError } from '@customs-hub/sdk';
import type { ObservationDraft } from '@customs-hub/sdk';
import { childOf, childrenOf, textOf, type XmlElement } from '../xml/tree.js';
import { NS_2011 as NS } from './document.js';
import { at, numList } from './values.js';

export interface DetectorInfo {
  name: string;
  category?: string;
  kind?: string;
}
export interface Calibration {
  coefficients?: number[];
  energyBoundaries?: number[];
}
export interface EnergyWindow {
  startKeV: number;
  endKeV: number;
}

/** The document-level definitions that measurements refer to by id. */
export interface Definitions {
  detectors: Map<string, DetectorInfo>;
  calibrations: Map<string, Calibration>;
  windows: Map<string, EnergyWindow[]>;
  containers: string[];
  itemId?: string;
}

export function readDefinitions(root: XmlElement): Definitions {
  const defs: Definitions = { detectors: new Map(), calibrations: new Map(), windows: new Map(), containers: [] };
  for (const d of childrenOf(root, 'RadDetectorInformation', NS)) {
    const id = d.attrs['id'] ?? '';
    const info: DetectorInfo = { name: (textOf(d, 'RadDetectorName', NS) ?? id).slice(0, 100) };
    const category = textOf(d, 'RadDetectorCategoryCode', NS);
    const kind = textOf(d, 'RadDetectorKindCode', NS);
    if (category) info.category = category;
    if (kind) info.kind = kind;
    defs.detectors.set(id, info);
  }
  for (const c of childrenOf(root, 'EnergyCalibration', NS)) {
    const cal: Calibration = {};
    const coef = childOf(c, 'CoefficientValues', NS);
    const bounds = childOf(c, 'EnergyBoundaryValues', NS);
    if (coef) cal.coefficients = numList(coef.text, coef);
    if (bounds) cal.energyBoundaries = numList(bounds.text, bounds);
    defs.calibrations.set(c.attrs['id'] ?? '', cal);
  }
  for (const w of childrenOf(root, 'EnergyWindows', NS)) {
    const startEl = childOf(w, 'WindowStartEnergyValues', NS);
    const endEl = childOf(w, 'WindowEndEnergyValues', NS);
    if (!startEl || !endEl) throw new RejectedInputError(`${at(w)}: EnergyWindows needs WindowStartEnergyValues and WindowEndEnergyValues`);
    const starts = numList(startEl.text, startEl);
    const ends = numList(endEl.text, endEl);
    if (starts.length !== ends.length) throw new RejectedInputError(`${at(w)}: ${starts.length} window starts but ${ends.length} ends`);
    defs.windows.set(
      w.attrs['id'] ?? '',
      starts.map((s, i) => ({ startKeV: s, endKeV: ends[i]! })),
    );
  }
  for (const item of childrenOf(root, 'RadItemInformation', NS)) {
    defs.itemId ??= textOf(item, 'RadItemIdentifier', NS);
    for (const c of characteristics(item, 'RadItemCharacteristics')) {
      if (/^container\s*(id|number|no\.?)$/i.test(c.name) && c.value) defs.containers.push(c.value);
    }
  }
  return defs;
}

/** Characteristics of a *Characteristics element, whether grouped or not. */
export function characteristics(el: XmlElement, container: string): Array<{ name: string; value: string; outOfLimits: boolean }> {
  const out: Array<{ name: string; value: string; outOfLimits: boolean }> = [];
  for (const block of childrenOf(el, container, NS)) {
    const chars = [
      ...childrenOf(block, 'Characteristic', NS),
      ...childrenOf(block, 'CharacteristicGroup', NS).flatMap((g) => childrenOf(g, 'Characteristic', NS)),
    ];
    for (const c of chars) {
      out.push({
        name: textOf(c, 'CharacteristicName', NS) ?? '',
        value: textOf(c, 'CharacteristicValue', NS) ?? '',
        outOfLimits: c.attrs['valueOutOfLimits'] === 'true',
      });
    }
  }
  return out;
}

/** The instrument and its detectors as a device.event of type setup, or null when the document says nothing. */
export function instrumentEvent(root: XmlElement, defs: Definitions): ObservationDraft<'device.event'> | null {
  const inst = childOf(root, 'RadInstrumentInformation', NS);
  if (!inst) return null;
  const values: Record<string, string> = {};
  const put = (key: string, v: string | undefined) => {
    if (v) values[key] = v.slice(0, 200);
  };
  put('manufacturer', textOf(inst, 'RadInstrumentManufacturerName', NS));
  put('model', textOf(inst, 'RadInstrumentModelName', NS));
  put('identifier', textOf(inst, 'RadInstrumentIdentifier', NS));
  put('classCode', textOf(inst, 'RadInstrumentClassCode', NS));
  put('description', textOf(inst, 'RadInstrumentDescription', NS));
  put('creator', textOf(root, 'RadInstrumentDataCreatorName', NS));
  for (const v of childrenOf(inst, 'RadInstrumentVersion', NS)) {
    put(`version.${textOf(v, 'RadInstrumentComponentName', NS) ?? 'unnamed'}`, textOf(v, 'RadInstrumentComponentVersion', NS));
  }
  for (const [id, d] of defs.detectors) put(`detector.${id}`, [d.category, d.kind].filter(Boolean).join(' ') || d.name);
  const model = [values['manufacturer'], values['model']].filter(Boolean).join(' ');
  return { kind: 'device.event', payload: { event: 'setup', message: model ? `N42 instrument ${model}` : 'N42 instrument', values } };
}
