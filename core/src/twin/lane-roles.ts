/** What a device does in a lane, as the twin drives it: when a vehicle reaches it, and how long it stays. */
export interface LaneRole {
  role: 'ocr' | 'lpr' | 'portal' | 'spectroscopic-portal' | 'weighbridge' | 'xray' | 'baggage-xray';
  /** Seconds after the vehicle reaches the lane's entry. */
  atS: number;
  /** Seconds the vehicle stands at the device (weighing, scanning). */
  dwellS: number;
}

/**
 * A road cargo lane, in the order a truck passes: the gate's OCR and plate cameras at the entry, the
 * portal monitor (and a spectroscopic portal beside it) a few metres on, the weighbridge, then the X-ray.
 */
const ROLES: Record<string, LaneRole> = {
  'ocr-gate': { role: 'ocr', atS: 0, dwellS: 0 },
  'plate-reader': { role: 'lpr', atS: 0.5, dwellS: 0 },
  rpm: { role: 'portal', atS: 4, dwellS: 0 },
  n42: { role: 'spectroscopic-portal', atS: 5, dwellS: 0 },
  'modbus-device': { role: 'weighbridge', atS: 14, dwellS: 6 },
  'xray-opcua': { role: 'xray', atS: 22, dwellS: 15 },
  dicos: { role: 'baggage-xray', atS: 12, dwellS: 0 },
};

export function roleOf(plugin: string): LaneRole | null {
  return ROLES[plugin] ?? null;
}

/** Vehicles of one lane keep this far apart: the slowest device (the X-ray) must be free again. */
export function minimumGapS(roles: LaneRole[]): number {
  return Math.max(10, ...roles.map((r) => r.dwellS + 8));
}
