import type { DataSet } from 'dicom-parser';
import type { Box } from '@customs-hub/sdk';
import { float, floats, items, text, uint16 } from './dataset.js';
import { TAG } from './tags.js';

/** One potential threat object (PTO) of a TDR, as the payload carries it. */
export interface Threat {
  id: string;
  class?: string;
  assessment?: string;
  description?: string;
  confidence?: number;
  box?: Box;
}

/** Per-threat values with no place in the data model; they go to the observation's extensions. */
export interface ThreatDetail {
  id: string;
  category?: string;
  abilityAssessment?: string;
  probability?: number;
  massG?: number;
  density?: number;
  zEffective?: number;
  boxFrom?: 'roi' | 'bounding-polygon';
}

// DICOS Threat Category defined terms; anything else is kept as written, lower-cased.
const CATEGORY_CLASS: Record<string, string> = {
  EXPLOSIVE: 'explosive',
  PI: 'prohibited-item',
  CONTRABAND: 'contraband',
  ANOMALY: 'anomaly',
  LAPTOP: 'laptop',
  OTHER: 'other',
  PHARMACEUTICAL: 'pharmaceutical',
};

function roiBox(rep: DataSet): Box | undefined {
  const voxel = items(rep, TAG.threatRoiVoxelSequence)[0];
  if (!voxel) return undefined;
  const base = floats(voxel, TAG.threatRoiBase);
  const ext = floats(voxel, TAG.threatRoiExtents);
  if (base.length < 3 || ext.length < 3) return undefined;
  return { x: base[0]!, y: base[1]!, z: base[2]!, width: ext[0]!, height: ext[1]!, depth: ext[2]! };
}

/** The axis-aligned box around a bounding polygon given as x,y,z triples. */
function polygonBox(rep: DataSet): Box | undefined {
  const v = floats(rep, TAG.boundingPolygon);
  if (v.length < 6 || v.length % 3 !== 0) return undefined;
  const axis = (k: number) => v.filter((_, i) => i % 3 === k);
  const [xs, ys, zs] = [axis(0), axis(1), axis(2)];
  const [x, y, z] = [Math.min(...xs), Math.min(...ys), Math.min(...zs)];
  return { x, y, z, width: Math.max(...xs) - x, height: Math.max(...ys) - y, depth: Math.max(...zs) - z };
}

/** Reads one item of the Threat Sequence (4010,1011). `problems` collects values that had to be dropped. */
export function readThreat(pto: DataSet, index: number, problems: string[]): { threat: Threat; detail: ThreatDetail } {
  const id = String(uint16(pto, TAG.ptoId) ?? index);
  const rep = items(pto, TAG.ptoRepresentationSequence)[0];
  const assessment = items(pto, TAG.atdAssessmentSequence)[0];
  const threat: Threat = { id };
  const detail: ThreatDetail = { id };
  if (rep) {
    const roi = roiBox(rep);
    const box = roi ?? polygonBox(rep);
    if (box) {
      threat.box = box;
      detail.boxFrom = roi ? 'roi' : 'bounding-polygon';
    }
    setIf(detail, 'massG', float(rep, TAG.mass));
    setIf(detail, 'density', float(rep, TAG.density));
    setIf(detail, 'zEffective', float(rep, TAG.zEffective));
  }
  if (assessment) {
    const category = text(assessment, TAG.threatCategory);
    if (category) {
      threat.class = CATEGORY_CLASS[category] ?? category.toLowerCase();
      detail.category = category;
    }
    setIf(threat, 'assessment', text(assessment, TAG.atdAssessmentFlag));
    setIf(threat, 'description', assessment.text(TAG.threatCategoryDescription) || undefined);
    setIf(detail, 'abilityAssessment', text(assessment, TAG.atdAbilityAssessment));
    const p = float(assessment, TAG.atdAssessmentProbability);
    if (p !== undefined) {
      detail.probability = p;
      // The DICOS toolkit writes -1 for "no probability"; other values outside 0..1 are a device error.
      if (p >= 0 && p <= 1) threat.confidence = p;
      else if (p !== -1) problems.push(`threat ${id}: assessment probability ${p} outside 0..1, dropped`);
    }
  }
  return { threat, detail };
}

function setIf<T extends object, K extends keyof T>(o: T, key: K, v: T[K] | undefined): void {
  if (v !== undefined) o[key] = v;
}
