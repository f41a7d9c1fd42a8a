import { RejectedInputError } from '@customs-hub/sdk';
import { readXml, type ObjectSpec } from '../message/fields.js';
import { parseXmlTree } from '../message/xml-tree.js';
import { parseIsapiTime } from './isapi-time.js';

/** One entry of an ISAPI-style plate list, as the camera listed it. */
export interface ListedPlate {
  captureTime: Date;
  /** False when the camera gave no time zone (taken as UTC). */
  zoned: boolean;
  plateNumber: string;
  picName: string;
  country?: string;
  laneNo?: number;
  direction?: string;
  /** Percent, as ISAPI gives it. */
  confidence?: number;
  vehicleType?: string;
  color?: string;
  plateType?: string;
  plateColor?: string;
  speed?: number;
}

const text = (max: number) => ({ t: 'string', max }) as const;
export const LISTED_PLATE_SPEC: ObjectSpec = {
  required: ['captureTime', 'plateNumber', 'picName'],
  fields: {
    captureTime: text(40),
    plateNumber: { t: 'string', max: 20, pattern: /\S/ },
    picName: { t: 'string', max: 120, pattern: /^[A-Za-z0-9._-]+$/ },
    country: text(3),
    laneNo: { t: 'integer', min: 0 },
    direction: text(20),
    confidence: { t: 'number', min: 0, max: 100 },
    vehicleType: text(50),
    color: text(50),
    plateType: text(50),
    plateColor: text(50),
    speed: { t: 'number', min: 0, max: 1000 },
  },
};

export interface PlateList {
  plates: ListedPlate[];
  problems: string[];
  unknownFields: string[];
}

/**
 * Parses the camera's answer to a plate-list poll (`<Plates><Plate>…</Plate></Plates>`, any namespace).
 * A broken document is refused; a broken entry is skipped with its reason and the others are kept.
 */
export function parsePlateList(xml: string): PlateList {
  const root = parseXmlTree(xml, 'plate list');
  if (root.name !== 'Plates') throw new RejectedInputError(`plate list: root <${root.name}> is not <Plates>`);
  const plates: ListedPlate[] = [];
  const problems: string[] = [];
  const unknown = new Set<string>();
  root.children.forEach((el, i) => {
    if (el.name !== 'Plate') {
      unknown.add(el.name);
      return;
    }
    const ctx = { unknown: [] as string[] };
    try {
      const p = readXml(el, LISTED_PLATE_SPEC, '', ctx, (k) => k) as unknown as Omit<ListedPlate, 'captureTime' | 'zoned'> & { captureTime: string };
      const t = parseIsapiTime(p.captureTime);
      if (!t) throw new RejectedInputError(`captureTime ${JSON.stringify(p.captureTime)} is not a time (20261201T101512Z)`);
      plates.push({ ...p, captureTime: t.date, zoned: t.zoned });
      for (const u of ctx.unknown) unknown.add(u);
    } catch (err) {
      if (!(err instanceof RejectedInputError)) throw err;
      problems.push(`plate ${i + 1} (line ${el.line}) skipped: ${err.reason}`);
    }
  });
  plates.sort((a, b) => a.captureTime.getTime() - b.captureTime.getTime());
  return { plates, problems, unknownFields: [...unknown].sort() };
}
