import type { XrayFinding } from './model/payloads.js';
import type { RunningSimulator } from './simulator.js';

/**
 * The truth about one vehicle (a truck, a car with bags, a ULD or a bag on a belt) reaching one device,
 * as the lane twin hands it to that device's simulator. The simulator turns it into what the real device
 * would say over its own protocol — with its own noise and its own clock. Everything here is what the
 * device *can* perceive; a misread the twin decided on is given as `misreadAs` beside the true code (the
 * device sends `misreadAs`, with the lower confidence a misread has). Fields a device does not sense are
 * ignored by its simulator.
 */
export interface VehiclePass {
  /** The twin's id of the vehicle. Never on the wire unless the protocol has a transaction id of its own. */
  vehicleId: string;
  lane: string;
  /** When the vehicle is at this device (hub clock; the simulator adds its own device clock offset). */
  at: Date;
  /** What kind of conveyance it is. */
  conveyance: 'truck' | 'car' | 'uld' | 'bag';
  /** Container codes as this device will read them (front first), with ISO size-type codes where painted. */
  containers?: Array<{ number: string; misreadAs?: string; sizeType?: string; position?: 'front' | 'rear' }>;
  plate?: { number: string; misreadAs?: string; country?: string };
  /** The reader sends a corrected reading (UPDATE after NEW) this long after a misread, ms; none: it does not. */
  correctAfterMs?: number;
  /** An identity the conveyance carries instead of a container code: a bag tag, an air waybill, a ULD id. */
  itemId?: string;
  /** Which identity `itemId` is (the Declaration v2 list it matches). */
  itemKind?: 'airWaybill' | 'bagTag' | 'uld';
  /** The vessel call a port's containers came with (the terminal's system tells its gate). */
  vessel?: { name?: string; imo?: string; voyage?: string };
  /** The flight a bag or ULD is booked on. */
  flight?: { number: string; date?: string };
  /** Gross mass on a weighbridge, kg. */
  grossKg?: number;
  /** The vehicle's tare as the weighbridge's tare memory holds it (recalled by the vehicle's id), kg. */
  tareKg?: number;
  /** What the cargo emits as a radiation portal sees it. */
  radiation?: { load: 'clean' | 'norm' | 'source' | 'shielded-source' | 'neutron-source' };
  /** What an X-ray image of it shows: mean density (g/cm² areal, as the x-ray scorer reads it) and findings. */
  xray?: { meanDensity: number; findings: XrayFinding[] };
  /** How long it stands still on a device that needs it (a weighbridge, a scanner), s. */
  dwellS?: number;
}

/** A running simulator the lane twin can drive: started with `traffic: 'driven'`, it reports only the vehicles it is handed. */
export interface DrivenSimulator extends RunningSimulator {
  pass(vehicle: VehiclePass): void;
}

export function isDrivenSimulator(s: RunningSimulator): s is DrivenSimulator {
  return typeof (s as Partial<DrivenSimulator>).pass === 'function';
}
