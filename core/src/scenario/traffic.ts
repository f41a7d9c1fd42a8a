import type { Declaration } from '@customs-hub/sdk';
import { containerNumber, plate } from './containers.js';
import { NORM_GOODS, ORDINARY_GOODS, PARTIES, WATCHED_CONSIGNEE, type Goods } from './goods.js';
import type { Random } from './random.js';

export type DeliveryKind = 'clean' | 'norm-declared' | 'radioactive-source' | 'weight-underdeclared' | 'hidden-goods' | 'swapped-container';

/** Kinds that carry a violation; the others are clean (NORM cargo correctly declared included). */
export const RISKY_KINDS: readonly DeliveryKind[] = ['radioactive-source', 'weight-underdeclared', 'hidden-goods', 'swapped-container'];

/** The share of each kind in a day's traffic. */
export const MIX: ReadonlyArray<[DeliveryKind, number]> = [
  ['clean', 0.76],
  ['norm-declared', 0.08],
  ['radioactive-source', 0.03],
  ['weight-underdeclared', 0.05],
  ['hidden-goods', 0.05],
  ['swapped-container', 0.03],
];

/** One truck through one lane: what was declared, what is really on it, and how the devices behave. */
export interface Delivery {
  id: number;
  kind: DeliveryKind;
  lane: string;
  /** ms epoch when it reaches the lane. */
  arrival: number;
  declaration: Declaration;
  goods: Goods;
  /** The container on the truck (differs from the declared one when swapped). */
  container: string;
  plate: string;
  tareKg: number;
  /** Real goods mass. */
  netKg: number;
  /** Devices that fail to report this truck. */
  dropped: string[];
  /** The OCR misreads one digit (the X-ray's own reading is right). */
  misread: boolean;
  /** A risk the equipment cannot see (a well-shielded source, goods the scanner misses). */
  hidden: boolean;
}

function kindOf(r: Random): DeliveryKind {
  let x = r.next();
  for (const [kind, share] of MIX) {
    if ((x -= share) < 0) return kind;
  }
  return 'clean';
}

/** A day of traffic at a checkpoint, deterministic by seed. */
export function generateTraffic(r: Random, options: { start: number; lanes: string[]; perLane: number; firstId?: number }): Delivery[] {
  const out: Delivery[] = [];
  const meanGapMs = (24 * 3600 * 1000) / options.perLane;
  for (const lane of options.lanes) {
    let t = options.start + r.exp(meanGapMs);
    for (let i = 0; i < options.perLane; i++) {
      out.push(delivery(r, out.length + (options.firstId ?? 1), lane, Math.round(t)));
      t += Math.max(15_000, r.exp(meanGapMs));
    }
  }
  return out.sort((a, b) => a.arrival - b.arrival);
}

/** One seeded delivery: what is declared, what is really on the truck, how the devices will behave. */
export function delivery(r: Random, id: number, lane: string, arrival: number): Delivery {
  const kind = kindOf(r);
  const goods = kind === 'norm-declared' ? r.pick(NORM_GOODS) : r.pick(ORDINARY_GOODS);
  const declared = containerNumber(r);
  const container = kind === 'swapped-container' ? containerNumber(r) : declared;
  const truckPlate = plate(r);
  const declaredKg = Math.round(r.between(8000, 24000));
  // Clean trucks weigh within a few percent of the declaration; under-declared ones carry 25–80 % more.
  const netKg = Math.round(kind === 'weight-underdeclared' ? declaredKg * r.between(1.25, 1.8) : declaredKg * (1 + r.between(-0.05, 0.05)));
  // Drawn in this order so a seed gives the same day as before v2.
  const exporter = r.pick(PARTIES);
  const importer = kind === 'hidden-goods' && r.chance(0.3) ? WATCHED_CONSIGNEE : r.pick(PARTIES);
  const origin = r.pick(['CN', 'TR', 'DE', 'KZ', 'FI']);
  const declaration: Declaration = {
    schema: 'declaration/v2',
    number: `10702030/${String(id).padStart(6, '0')}`,
    direction: 'import',
    transportMode: '3',
    parties: { exporter: { name: exporter }, importer: { name: importer } },
    goods: [{ hsCode: goods.hsCode, description: goods.description, origin, grossMassKg: declaredKg }],
    grossMassKg: declaredKg,
    transport: { containers: [declared], plates: [truckPlate], airWaybills: [], ulds: [], bagTags: [] },
  };
  return {
    id,
    kind,
    lane,
    arrival,
    declaration,
    goods,
    container,
    plate: truckPlate,
    tareKg: Math.round(r.between(14000, 16500)),
    netKg,
    dropped: r.chance(0.012) ? [r.pick(['scale', 'xray'])] : [],
    misread: r.chance(0.04),
    hidden: (kind === 'radioactive-source' && r.chance(0.06)) || (kind === 'hidden-goods' && r.chance(0.08)),
  };
}
