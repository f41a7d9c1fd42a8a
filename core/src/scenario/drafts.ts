import type { ObservationDraft, ObservationKind, XrayFinding } from '@customs-hub/sdk';
import { misread } from './containers.js';
import { MAN_MADE_NUCLIDES, NATURAL_NUCLIDES } from './goods.js';
import type { Random } from './random.js';
import type { Delivery } from './traffic.js';

/** What one device emits about one delivery, and when it reaches the hub. */
export interface TimedDraft {
  emitAt: number;
  deviceId: string;
  lane: string;
  kind: ObservationKind;
  draft: ObservationDraft;
  delivery: number;
}

/** The scenario's devices on each lane; `srpm` (nuclide IDs on alarm, uploaded later) is not expected on every truck. */
export const LANE_DEVICES = ['ocr', 'rpm', 'scale', 'xray'] as const;
export const deviceId = (kind: string, lane: string) => `${kind}-${lane}`;

/** A device clock running ahead: the scenario configures it as a known offset. */
export const SKEWED = { device: 'scale-L2', offsetS: 90 };

const iso = (ms: number) => new Date(ms).toISOString();

function passage(r: Random, d: Delivery, start: number, end: number): ObservationDraft<'radiation.passage'> {
  const source = d.kind === 'radioactive-source' && !d.hidden;
  const norm = d.goods.norm;
  const alarm = source || norm;
  const sigma = source ? r.between(9, 40) : norm ? r.between(8.5, 20) : d.kind === 'radioactive-source' ? r.between(3, 6) : r.between(0, 3.5);
  const bg = [250, 262, 244, 255];
  const panel = (k: number) => ({ counts: Math.round((bg[k]! + sigma * Math.sqrt(bg[k]!)) * 40), samples: 40 });
  return {
    kind: 'radiation.passage',
    sourceId: `occ-${d.id}`,
    deviceTime: iso(end),
    payload: {
      occupancyStart: iso(start),
      occupancyEnd: iso(end),
      durationS: (end - start) / 1000,
      sampleIntervalS: 0.2,
      gamma: { panels: [0, 1, 2, 3].map(panel), background: bg, maxSigma: Math.round(sigma * 10) / 10, threshold: 8, alarm },
      neutron: {
        panels: [
          { counts: 4, samples: 10 },
          { counts: 3, samples: 10 },
        ],
        background: [0.4, 0.3],
        maxSigma: 0.4,
        threshold: 7,
        alarm: false,
      },
      // Low/high energy-window ratio: NORM is relatively rich in high-energy gammas (K-40 at 1461 keV).
      windowRatio: { value: norm && !source ? r.between(0.3, 0.5) : r.between(0.8, 1.1), background: 0.85, norm: norm && !source && alarm },
      deviceAlarm: { gamma: alarm, neutron: false },
      hubAlarm: { gamma: alarm, neutron: false, norm: norm && !source && alarm },
    },
  };
}

/** What an X-ray image of the delivery shows: a density in its goods' band, and findings when something is hidden. */
export function xrayTruth(r: Random, d: Delivery): { meanDensity: number; findings: XrayFinding[] } {
  const [lo, hi] = d.goods.density;
  let density = lo + (hi - lo) * r.between(0.2, 0.8);
  const findings: XrayFinding[] = [];
  if (d.kind === 'hidden-goods' && !d.hidden) {
    if (r.chance(0.8))
      findings.push({
        class: r.pick(['hidden-compartment', 'organic-anomaly', 'dense-object']),
        confidence: Math.round(r.between(0.45, 0.97) * 100) / 100,
        source: 'automatic',
        box: { x: r.int(100, 900), y: r.int(50, 300), width: r.int(40, 200), height: r.int(40, 120) },
      });
    else density = lo * r.between(0.4, 0.7);
  } else if (r.chance(0.03)) {
    findings.push({ class: 'organic-anomaly', confidence: Math.round(r.between(0.1, 0.29) * 100) / 100, source: 'automatic' });
  }
  return { meanDensity: Math.round(density * 10) / 10, findings };
}

function scan(r: Random, d: Delivery, start: number, end: number): ObservationDraft<'xray.scan'> {
  const { meanDensity, findings } = xrayTruth(r, d);
  return {
    kind: 'xray.scan',
    sourceId: `scan-${d.id}`,
    deviceTime: iso(end),
    conveyance: { containers: [d.container] },
    payload: { scanId: `S${d.id}`, startedAt: iso(start), endedAt: iso(end), imageStatus: 'stored', findings, meanDensity },
  };
}

/** Every observation a delivery produces, timed as the devices would send them. */
export function draftsFor(r: Random, d: Delivery): TimedDraft[] {
  const t = d.arrival;
  const out: TimedDraft[] = [];
  const add = (kind: string, emitAt: number, draft: ObservationDraft) => {
    if (!d.dropped.includes(kind)) out.push({ emitAt, deviceId: deviceId(kind, d.lane), lane: d.lane, kind: draft.kind, draft, delivery: d.id });
  };
  add('ocr', t + 500, {
    kind: 'identification',
    sourceId: `ocr-${d.id}`,
    deviceTime: iso(t),
    conveyance: { containers: [d.misread ? misread(d.container, r) : d.container], plates: [d.plate] },
    payload: { method: 'ocr', position: 'rear' },
  });
  const occStart = t + 5000;
  const occEnd = occStart + r.int(6000, 10000);
  const rpm = passage(r, d, occStart, occEnd);
  add('rpm', occEnd + 300, rpm);
  const weighed = t + 25_000;
  const skew = deviceId('scale', d.lane) === SKEWED.device ? SKEWED.offsetS * 1000 : 0;
  add('scale', weighed + 1000, {
    kind: 'weight',
    sourceId: `w-${d.id}`,
    deviceTime: iso(weighed + skew),
    payload: { grossKg: d.tareKg + d.netKg + r.int(-40, 40), tareKg: d.tareKg, stable: r.chance(0.97) },
  });
  const scanStart = t + 40_000;
  const scanEnd = scanStart + r.int(25_000, 35_000);
  add('xray', scanEnd + 2000, scan(r, d, scanStart, scanEnd));
  // A spectroscopic portal identifies nuclides after an alarm; its N42 file is uploaded minutes later.
  if (rpm.payload.deviceAlarm.gamma && r.chance(0.6)) {
    const nuclides =
      d.kind === 'radioactive-source'
        ? [{ ...r.pick(MAN_MADE_NUCLIDES), confidence: Math.round(r.between(0.7, 0.95) * 100) / 100 }]
        : [{ name: r.pick(NATURAL_NUCLIDES), category: 'NORM' as const, confidence: 0.8 }];
    out.push({
      emitAt: occEnd + r.int(600_000, 900_000),
      deviceId: deviceId('srpm', d.lane),
      lane: d.lane,
      kind: 'radiation.nuclide-id',
      delivery: d.id,
      draft: { kind: 'radiation.nuclide-id', sourceId: `nid-${d.id}`, deviceTime: iso(occEnd), payload: { algorithm: 'scenario', nuclides } },
    });
  }
  return out;
}
