import type { Declaration, VehiclePass } from '@customs-hub/sdk';
import { containerNumber, misread } from '../scenario/containers.js';
import { xrayTruth } from '../scenario/drafts.js';
import type { Random } from '../scenario/random.js';
import type { Delivery } from '../scenario/traffic.js';
import type { LaneRole } from './lane-roles.js';
import type { TwinConfig } from './twin-config.js';
import { conveyanceOf, seaAirIdentity, seaAirTransport, type LaneKind, type SeaAirIdentity } from './sea-air.js';

/** One vehicle of a lane's schedule: the scenario's truth, plus what the twin adds for real devices. */
export interface TwinVehicle {
  id: string;
  delivery: Delivery;
  conveyance: VehiclePass['conveyance'];
  /** A port's vessel call, an air cargo ULD's air waybill, a bag's tag, and their flight. */
  identity: SeaAirIdentity;
  /** Containers really on the truck (front first): one 40-ft, or two 20-ft boxes. */
  containers: string[];
  /** The plate as the plate reader will read it (a misread applied). */
  plateRead: string;
  /** What the declaration says, POSTed before arrival. */
  declaration: Declaration;
  /** Devices (by id) that will miss this vehicle. */
  missedBy: Set<string>;
  /** Per device id: seconds later than its usual place in the lane. */
  delayS: Map<string, number>;
  xray: ReturnType<typeof xrayTruth>;
  /** What the cargo emits, the same for every radiation device of the lane. */
  radiation: NonNullable<VehiclePass['radiation']>['load'];
}

const PLATE_LETTERS = 'ABEKMHOPCTYX';

function misreadPlate(plate: string, r: Random): string {
  const i = r.int(0, plate.length - 1);
  const c = plate[i]!;
  const swap = /[0-9]/.test(c) ? String((Number(c) + r.int(1, 9)) % 10) : r.pick([...PLATE_LETTERS].filter((x) => x !== c));
  return `${plate.slice(0, i)}${swap}${plate.slice(i + 1)}`;
}

/** Dresses a delivery as a vehicle of a lane with these devices. */
export function twinVehicle(r: Random, d: Delivery, kind: LaneKind, devices: Array<{ id: string; role: LaneRole }>, config: TwinConfig): TwinVehicle {
  const conveyance = conveyanceOf(kind);
  const boxless = conveyance !== 'truck';
  const twin20 = conveyance === 'truck' && r.chance(config.twin20Rate);
  const containers = boxless ? [] : twin20 ? [d.container, containerNumber(r)] : [d.container];
  // a swapped truck carries another box than the first one declared; a twin-20's second box is declared as it is
  const declared = boxless ? [] : twin20 ? [d.declaration.transport.containers[0]!, containers[1]!] : d.declaration.transport.containers;
  const missedBy = new Set<string>();
  const delayS = new Map<string, number>();
  for (const { id, role } of devices) {
    const dropped = (role.role === 'weighbridge' && d.dropped.includes('scale')) || (role.role === 'xray' && d.dropped.includes('xray'));
    if (dropped || r.chance(config.dropoutRate)) missedBy.add(id);
    delayS.set(id, r.between(0, config.jitterS));
  }
  const netKg = conveyance === 'car' ? r.int(150, 600) : d.netKg;
  const tareKg = conveyance === 'car' ? r.int(1300, 2200) : d.tareKg;
  const plateRead = r.chance(config.plateMisreadRate) ? misreadPlate(d.plate, r) : d.plate;
  const identity = seaAirIdentity(r, kind, d.id, d.arrival);
  const transport = seaAirTransport({ ...d.declaration.transport, containers: declared }, kind, identity);
  return {
    id: `V${d.id}`,
    delivery: { ...d, netKg, tareKg },
    conveyance,
    identity,
    containers,
    plateRead,
    declaration: {
      ...d.declaration,
      ...(kind === 'port' ? { transportMode: '1' } : kind === 'air-cargo' || kind === 'baggage' ? { transportMode: '4' } : {}),
      transport,
    },
    missedBy,
    delayS,
    xray: xrayTruth(r, d),
    radiation: radiationLoad(d, r),
  };
}

function radiationLoad(d: Delivery, r: Random): NonNullable<VehiclePass['radiation']>['load'] {
  if (d.kind === 'radioactive-source') return d.hidden ? 'clean' : r.chance(0.35) ? 'shielded-source' : 'source';
  return d.goods.norm ? 'norm' : 'clean';
}

/** What one device perceives of the vehicle. */
export function passFor(v: TwinVehicle, role: LaneRole, lane: string, at: Date, r: Random): VehiclePass {
  const d = v.delivery;
  const base: VehiclePass = { vehicleId: v.id, lane, at, conveyance: v.conveyance, dwellS: role.dwellS || undefined };
  const boxes = v.containers.map((number, i) => ({
    number,
    sizeType: v.containers.length > 1 ? '22G1' : '45G1',
    position: i === 0 ? ('front' as const) : ('rear' as const),
  }));
  switch (role.role) {
    case 'ocr':
      // an air cargo or baggage line's reader reads the AWB label or the bag tag, with the flight it is booked on
      if (v.identity.itemId)
        return { ...base, itemId: v.identity.itemId, itemKind: v.identity.itemKind, ...(v.identity.flight ? { flight: v.identity.flight } : {}) };
      // the gate's OCR misreads one digit of the first box now and then (its check digit then fails);
      // some gates send a corrected reading a moment later; a port gate also knows the vessel call
      return {
        ...base,
        ...(v.identity.vessel ? { vessel: v.identity.vessel } : {}),
        containers: boxes.map((b, i) => (i === 0 && d.misread ? { ...b, misreadAs: misread(b.number, r) } : b)),
        ...(d.misread && r.chance(0.3) ? { correctAfterMs: 2000 } : {}),
      };
    case 'lpr':
      return { ...base, plate: { number: d.plate, ...(v.plateRead !== d.plate ? { misreadAs: v.plateRead } : {}) } };
    case 'portal':
      return { ...base, radiation: { load: v.radiation } };
    case 'spectroscopic-portal':
      return { ...base, containers: boxes, radiation: { load: v.radiation } };
    case 'weighbridge':
      return { ...base, grossKg: d.tareKg + d.netKg + r.int(-40, 40), tareKg: d.tareKg };
    case 'xray':
      // the scanner's own OCR reads the boxes right; it does not read plates
      return { ...base, containers: boxes, xray: v.xray };
    case 'baggage-xray':
      // the traveller's bags, tagged at the lane: the tag is the bag's identity
      return { ...base, itemId: v.identity.itemId ?? `B${d.id}`, xray: v.xray };
  }
}
