import type { Declaration, VehiclePass } from '@customs-hub/sdk';
import type { Random } from '../scenario/random.js';

/** What a twin lane carries, from the lane's `type`: road trucks, cars, a port's trucks off a vessel, air cargo ULDs, bags. */
export type LaneKind = 'road' | 'passenger' | 'port' | 'air-cargo' | 'baggage';

export function laneKindOf(type: string | undefined): LaneKind {
  if (type === 'passenger' || type === 'port' || type === 'air-cargo' || type === 'baggage') return type;
  return 'road';
}

export function conveyanceOf(kind: LaneKind): VehiclePass['conveyance'] {
  return kind === 'passenger' ? 'car' : kind === 'air-cargo' ? 'uld' : kind === 'baggage' ? 'bag' : 'truck';
}

/** The Declaration v2 identifiers a sea or air conveyance is known by, besides containers and plates. */
export interface SeaAirIdentity {
  itemId?: string;
  itemKind?: 'airWaybill' | 'bagTag';
  vessel?: { name: string; imo: string; voyage: string };
  flight?: { number: string; date: string };
}

/** An IATA air waybill: airline prefix, seven-digit serial, its check digit (serial mod 7). */
function airWaybill(r: Random): string {
  const serial = r.int(1_000_000, 9_999_999);
  return `${r.pick(['020', '057', '157', '176', '618'])}${serial}${serial % 7}`;
}

/** A few vessel calls a port's trucks come from (IMO numbers with their check digit). */
const VESSELS = [
  { name: 'NORDIC STAR', imo: '9074729' },
  { name: 'BALTIC TRADER', imo: '9321483' },
  { name: 'CAPE ORION', imo: '9506174' },
];
const AIRLINES = ['LH', 'KE', 'SU', 'TK'];

/**
 * Draws a sea or air conveyance's identity (road and passenger lanes draw nothing, so their seeded days
 * stay as they were): a port's boxes come off one of a few vessel calls; an air cargo ULD goes under an
 * air waybill, a bag under its 10-digit licence-plate tag, both booked on a flight.
 */
export function seaAirIdentity(r: Random, kind: LaneKind, serial: number, arrival: number): SeaAirIdentity {
  const date = new Date(arrival).toISOString().slice(0, 10);
  if (kind === 'port') {
    const call = serial % VESSELS.length;
    return { vessel: { ...VESSELS[call]!, voyage: `${date.slice(2, 4)}${String(10 + call).padStart(2, '0')}W` } };
  }
  if (kind === 'air-cargo') return { itemId: airWaybill(r), itemKind: 'airWaybill', flight: { number: `${r.pick(AIRLINES)}${r.int(100, 999)}`, date } };
  if (kind === 'baggage')
    return {
      itemId: `0${r.int(100, 999)}${String(r.int(0, 999_999)).padStart(6, '0')}`,
      itemKind: 'bagTag',
      flight: { number: `${r.pick(AIRLINES)}${r.int(100, 999)}`, date },
    };
  return {};
}

/** The declaration's transport as a sea or air conveyance is declared: the vessel call, or the AWB / bag tag and flight instead of a box and plate. */
export function seaAirTransport(t: Declaration['transport'], kind: LaneKind, id: SeaAirIdentity): Declaration['transport'] {
  if (kind === 'port') return { ...t, ...(id.vessel ? { vessel: id.vessel } : {}) };
  if (kind === 'air-cargo') return { ...t, containers: [], plates: [], airWaybills: [id.itemId!], ...(id.flight ? { flight: id.flight } : {}) };
  if (kind === 'baggage') return { ...t, containers: [], plates: [], bagTags: [id.itemId!], ...(id.flight ? { flight: id.flight } : {}) };
  return t;
}
