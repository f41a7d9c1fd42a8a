import type { Contribution, NuclideIdPayload, Observation, RadiationPassagePayload, ScoringInput } from '@customs-hub/sdk';
import { describeGoods, isNormNuclide, normGoods, type NormRules } from './norm-goods.js';

export interface RadiationConfig {
  normHsPrefixes?: string[];
  normKeywords?: string[];
  /** Nuclide identifications below this confidence (0–1) are ignored. */
  minConfidence?: number;
}

const sigma = (p: RadiationPassagePayload) => `${p.gamma.maxSigma.toFixed(1)} σ over background`;

/** One passage: neutron first (rarely nuisance), then gamma told apart by its energy signature and the goods. */
function passage(o: Observation<'radiation.passage'>, input: ScoringInput, rules: NormRules): Contribution[] {
  const p = o.payload;
  const evidence = (values: Record<string, unknown>) => ({ observationIds: [o.id], values: { device: o.deviceId, maxSigma: p.gamma.maxSigma, ...values } });
  const out: Contribution[] = [];
  if (p.hubAlarm.neutron || p.deviceAlarm.neutron) {
    out.push({
      code: 'radiation.neutron',
      score: 95,
      reason: `Neutron alarm at ${o.deviceId} (${p.neutron ? p.neutron.maxSigma.toFixed(1) : '?'} σ): neutron sources are rarely innocent`,
      evidence: evidence({ neutronSigma: p.neutron?.maxSigma }),
    });
  }
  if (!(p.hubAlarm.gamma || p.deviceAlarm.gamma)) return out;
  const normSignature = p.hubAlarm.norm === true || p.windowRatio?.norm === true;
  // Without energy windows (a gross-counting portal) the signature is unknown, not man-made.
  const unknownSignature = !normSignature && p.windowRatio === undefined && p.hubAlarm.norm === undefined;
  const explained = normGoods(input.declaration, rules);
  const ratio = p.windowRatio?.value;
  if (unknownSignature) {
    out.push(
      explained.length > 0
        ? {
            code: 'radiation.gamma-norm-goods',
            score: 30,
            reason: `Gamma alarm (${sigma(p)}); declared ${describeGoods(explained)} is naturally radioactive, but the portal gives no energy signature to confirm it`,
            evidence: evidence({}),
          }
        : {
            code: 'radiation.unexplained-gamma',
            score: 85,
            reason: `Gamma alarm (${sigma(p)}) and no naturally radioactive goods declared (the portal gives no energy signature)`,
            evidence: evidence({}),
          },
    );
  } else if (normSignature && explained.length > 0) {
    out.push({
      code: 'radiation.norm-declared',
      score: 8,
      reason: `Gamma alarm (${sigma(p)}) with a natural (NORM) energy signature, explained by declared ${describeGoods(explained)}`,
      evidence: evidence({ windowRatio: ratio }),
    });
  } else if (normSignature) {
    out.push({
      code: 'radiation.norm-undeclared',
      score: 50,
      reason: `Gamma alarm (${sigma(p)}) with a natural (NORM) energy signature, but no declared goods are known to be naturally radioactive`,
      evidence: evidence({ windowRatio: ratio }),
    });
  } else if (explained.length > 0) {
    out.push({
      code: 'radiation.unexplained-gamma',
      score: 75,
      reason: `Gamma alarm (${sigma(p)}) without a natural energy signature although ${describeGoods(explained)} is declared: a source may be hidden in NORM cargo`,
      evidence: evidence({ windowRatio: ratio }),
    });
  } else {
    out.push({
      code: 'radiation.unexplained-gamma',
      score: 85,
      reason: `Gamma alarm (${sigma(p)}) without a natural energy signature and no naturally radioactive goods declared`,
      evidence: evidence({ windowRatio: ratio }),
    });
  }
  return out;
}

function nuclides(o: Observation<'radiation.nuclide-id'>, input: ScoringInput, rules: NormRules, minConfidence: number): Contribution[] {
  const out: Contribution[] = [];
  const explained = normGoods(input.declaration, rules);
  for (const n of (o.payload as NuclideIdPayload).nuclides) {
    if (n.confidence !== undefined && n.confidence < minConfidence) continue;
    const evidence = { observationIds: [o.id], values: { nuclide: n.name, category: n.category, confidence: n.confidence } };
    const norm = n.category === 'NORM' || (n.category === undefined && isNormNuclide(n.name));
    if (n.category === 'SNM') {
      out.push({ code: 'radiation.snm', score: 100, reason: `${n.name} identified: special nuclear material`, evidence });
    } else if (!norm) {
      out.push({
        code: 'radiation.man-made-nuclide',
        score: 88,
        reason: `${n.name}${n.category ? ` (${n.category})` : ''} identified: a man-made source`,
        evidence,
      });
    } else if (explained.length > 0) {
      out.push({
        code: 'radiation.norm-nuclide-declared',
        score: 4,
        reason: `${n.name} identified: natural, consistent with declared ${describeGoods(explained)}`,
        evidence,
      });
    } else {
      out.push({ code: 'radiation.norm-nuclide-undeclared', score: 40, reason: `${n.name} identified: natural, but no declared goods explain it`, evidence });
    }
  }
  return out;
}

export function scoreRadiation(input: ScoringInput, config: RadiationConfig, rules: NormRules): Contribution[] {
  const out: Contribution[] = [];
  for (const o of input.observations) {
    if (o.kind === 'radiation.passage') out.push(...passage(o as Observation<'radiation.passage'>, input, rules));
    else if (o.kind === 'radiation.nuclide-id') out.push(...nuclides(o as Observation<'radiation.nuclide-id'>, input, rules, config.minConfidence ?? 0.3));
  }
  return out;
}
