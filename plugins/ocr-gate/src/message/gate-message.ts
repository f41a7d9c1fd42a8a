/** An image the gate sent with a reading, still base64 as it came. */
export interface GateImage {
  data: string;
  camera?: string;
  side?: string;
  contentType?: string;
  name?: string;
}

/** One container code the gate read, exactly as it read it. */
export interface GateContainer {
  code: string;
  confidence?: number;
  charConfidence?: number[];
  sizeType?: string;
  checkDigitOk?: boolean;
  position?: string;
  side?: string;
  camera?: string;
  damage?: boolean;
  damageNotes?: string;
  doorDirection?: string;
}

export interface GatePlate {
  number: string;
  country?: string;
  region?: string;
  confidence?: number;
  charConfidence?: number[];
  position?: string;
  camera?: string;
}

/** An identity other than a container or plate: an air waybill or ULD (air cargo), a bag tag (baggage line). */
export interface GateItem {
  type: 'airWaybill' | 'bagTag' | 'uld';
  code: string;
  confidence?: number;
}

export interface GateSeal {
  present: boolean;
  number?: string;
  position?: string;
  confidence?: number;
}

/** A reading of one vehicle's pass: NEW, or UPDATE (the gate's correction of the reading with the same id). */
export interface GateReading {
  type: 'NEW' | 'UPDATE';
  id: string;
  revision?: number;
  time: string;
  direction?: 'in' | 'out' | 'unknown';
  lane?: string;
  camera?: string;
  confidence?: number;
  containers: GateContainer[];
  plates: GatePlate[];
  /** Air waybills, bag tags, ULDs (none at a road or port gate). */
  items?: GateItem[];
  /** How the identities were read (default ocr): a bag-tag reader scans barcodes or RFID tags. */
  method?: 'ocr' | 'barcode' | 'rfid';
  /** A port gate: the vessel call the containers were discharged from, as the terminal's system knows it. */
  vessel?: { name?: string; imo?: string; voyage?: string };
  /** An air cargo or baggage line: the flight the item is booked on. */
  flight?: { number: string; date?: string };
  damage?: { detected: boolean; notes?: string };
  seals: GateSeal[];
  images: GateImage[];
}

/** A keep-alive: the gate is there, nothing passed. */
export interface GateHeartbeat {
  type: 'HEARTBEAT';
  time?: string;
}

export type GateMessage = GateReading | GateHeartbeat;

/** A parsed message, with the fields it had that the format does not know (paths like "containers[0].colour"). */
export interface ParsedMessage {
  message: GateMessage;
  format: 'json' | 'xml';
  unknownFields: string[];
}
