import type { Contribution, Observation, ScoringInput, ThreatReportPayload, XrayScanPayload } from '@customs-hub/sdk';
import { expectedBand } from './density.js';

export interface XrayConfig {
  /** Score of a finding class at full confidence (hidden-compartment, organic-anomaly, dense-object…). */
  findingScores?: Record<string, number>;
  defaultFindingScore?: number;
  /** Automatic findings below this confidence are ignored. */
  minConfidence?: number;
  densityByHsChapter?: Record<string, [number, number]>;
}

export const DEFAULT_FINDING_SCORES: Record<string, number> = {
  'hidden-compartment': 85,
  'dense-object': 70,
  'organic-anomaly': 70,
  'undeclared-liquid': 65,
  weapon: 95,
  explosive: 100,
  'no-finding': 0,
};

const pct = (x: number) => `${Math.round(x * 100)} %`;

function findings(o: Observation<'xray.scan'>, config: XrayConfig): Contribution[] {
  const p: XrayScanPayload = o.payload;
  const out: Contribution[] = [];
  for (const f of p.findings) {
    const full = config.findingScores?.[f.class] ?? DEFAULT_FINDING_SCORES[f.class] ?? config.defaultFindingScore ?? 60;
    if (full === 0) continue;
    const operator = f.source === 'operator';
    if (!operator && f.confidence !== undefined && f.confidence < (config.minConfidence ?? 0.3)) continue;
    // An operator's marking counts fully; an automatic one by its confidence.
    const score = operator || f.confidence === undefined ? full : full * (0.6 + 0.4 * f.confidence);
    out.push({
      code: 'xray.finding',
      score: Math.round(score),
      reason: `X-ray scan ${p.scanId}: ${f.class} marked ${operator ? 'by the operator' : `automatically${f.confidence === undefined ? '' : ` (${pct(f.confidence)})`}`}${f.note ? ` — ${f.note}` : ''}`,
      evidence: { observationIds: [o.id], values: { scanId: p.scanId, class: f.class, confidence: f.confidence, box: f.box } },
    });
  }
  if (p.imageStatus === 'corrupt' || p.imageStatus === 'missing') {
    out.push({
      code: 'xray.image-missing',
      score: 30,
      reason: `X-ray scan ${p.scanId}: the image is ${p.imageStatus}, so it cannot be reviewed`,
      evidence: { observationIds: [o.id], values: { imageStatus: p.imageStatus } },
    });
  }
  return out;
}

function density(o: Observation<'xray.scan'>, input: ScoringInput, config: XrayConfig, table: Record<string, [number, number]>): Contribution[] {
  const d = o.payload.meanDensity;
  if (d === undefined || !input.declaration) return [];
  const band = expectedBand(
    input.declaration.goods.map((g) => g.hsCode),
    { ...table, ...config.densityByHsChapter },
  );
  if (!band) return [];
  const goods = input.declaration.goods
    .slice(0, 2)
    .map((g) => `${g.description ?? 'goods'} (HS ${g.hsCode})`)
    .join(', ');
  const evidence = { observationIds: [o.id], values: { meanDensity: d, expected: band } };
  if (d >= band[0] && d <= band[1]) return [{ code: 'xray.density-consistent', score: 0, reason: `Scan density ${d} g/cm² fits declared ${goods}`, evidence }];
  // How far outside the band, relative to its width: a little outside is a doubt, far outside a finding.
  const off = d < band[0] ? (band[0] - d) / band[0] : (d - band[1]) / band[1];
  const score = Math.round(Math.min(80, 45 + 60 * off));
  return [
    {
      code: 'xray.density-mismatch',
      score,
      reason: `Scan density ${d} g/cm² is ${d < band[0] ? 'too low' : 'too high'} for declared ${goods} (expected ${band[0]}–${band[1]})`,
      evidence,
    },
  ];
}

function threats(o: Observation<'xray.threat-report'>): Contribution[] {
  const p: ThreatReportPayload = o.payload;
  return p.threats
    .filter((t) => !/no[_ -]?threat/i.test(t.assessment ?? ''))
    .map((t) => ({
      code: 'xray.threat',
      score: 70,
      reason: `Threat detection report for ${p.objectOfInspectionId}: ${t.class ?? 'threat'}${t.assessment ? ` (${t.assessment})` : ''}${t.description ? ` — ${t.description}` : ''}`,
      evidence: { observationIds: [o.id], values: { threat: t.id, class: t.class, confidence: t.confidence } },
    }));
}

export function scoreXray(input: ScoringInput, config: XrayConfig, table: Record<string, [number, number]>): Contribution[] {
  const out: Contribution[] = [];
  for (const o of input.observations) {
    if (o.kind === 'xray.scan') out.push(...findings(o as Observation<'xray.scan'>, config), ...density(o as Observation<'xray.scan'>, input, config, table));
    else if (o.kind === 'xray.threat-report') out.push(...threats(o as Observation<'xray.threat-report'>));
  }
  return out;
}
