export type MeasurementClass = 'foreground' | 'background' | 'calibration' | 'intrinsic' | 'not-specified';
export interface Box {
  x: number;
  y: number;
  z?: number;
  width: number;
  height: number;
  depth?: number;
}

export interface PassageChannel {
  panels: Array<{ counts: number; samples: number; peak?: number }>;
  background: number[];
  maxSigma: number;
  threshold?: number;
  alarm?: boolean;
}

export interface RadiationPassagePayload {
  occupancyStart: string;
  occupancyEnd: string;
  durationS?: number;
  speedKmh?: number;
  sampleIntervalS?: number;
  gamma: PassageChannel;
  neutron?: PassageChannel;
  windowRatio?: { value: number; background?: number; norm?: boolean };
  deviceAlarm: { gamma: boolean; neutron: boolean };
  hubAlarm: { gamma: boolean; neutron: boolean; norm?: boolean };
  disagreement?: boolean;
  /** The device's own occupancy counter, when it sends one. */
  occupancyCount?: number;
  /** How the occupancy ended: reported by the device, or closed by the hub. */
  endReason?: 'device' | 'connection-lost' | 'timeout' | 'no-end-message' | 'stopped';
}

export interface RadiationSpectrumPayload {
  detector?: string;
  measurementClass?: MeasurementClass;
  realTimeS?: number;
  liveTimeS?: number;
  channels: number[];
  energyCalibration?: { coefficients?: number[]; energyBoundaries?: number[] };
  totalCounts?: number;
  location?: GeoPoint;
}

/** A position from the instrument's GPS. */
export interface GeoPoint {
  lat: number;
  lon: number;
  altM?: number;
}

export interface DoseRatePayload {
  detector?: string;
  doseRateUSvH: number;
  uncertaintyPct?: number;
  totalDoseUSv?: number;
  countRateCps?: number;
  temperatureC?: number;
  durationS?: number;
  measurementClass?: MeasurementClass;
  location?: { lat: number; lon: number; altM?: number };
}

export interface GrossCountPayload {
  detector?: string;
  radiation?: 'gamma' | 'neutron' | 'other';
  counts: number;
  durationS: number;
  measurementClass?: MeasurementClass;
  occupied?: boolean;
  /** Counts per energy window when the detector reports several; counts is then the widest window's. */
  windows?: Array<{ startKeV?: number; endKeV?: number; counts: number }>;
  location?: GeoPoint;
}

export type NuclideCategory = 'NORM' | 'Industrial' | 'Medical' | 'SNM' | 'Other' | 'Unknown';
export interface NuclideIdPayload {
  algorithm?: string;
  nuclides: Array<{ name: string; category?: NuclideCategory; confidence?: number; activityBq?: number; confidenceText?: string }>;
}

export interface XrayFinding {
  class: string;
  box?: Box;
  confidence?: number;
  source?: 'automatic' | 'operator';
  note?: string;
}
export interface XrayScanPayload {
  scanId: string;
  startedAt?: string;
  endedAt?: string;
  imageStatus: 'stored' | 'corrupt' | 'missing' | 'pending';
  image?: { location?: string; size?: number; sha256?: string; format?: string; widthPx?: number; heightPx?: number };
  findings: XrayFinding[];
  meanDensity?: number;
}

export interface ThreatReportPayload {
  objectOfInspectionId: string;
  sopInstanceUid?: string;
  tdrType?: string;
  alarmDecision?: string;
  referencedImages?: string[];
  threats: Array<{ id: string; class?: string; assessment?: string; description?: string; confidence?: number; box?: Box }>;
}

export interface WeightPayload {
  grossKg: number;
  tareKg?: number;
  stable: boolean;
  axles?: number[];
}

/** What a reader said about one container code it read (the number itself is also in the conveyance). */
export interface IdentifiedContainer {
  number: string;
  /** ISO 6346 form and check digit hold for the number as read. */
  checkDigitValid: boolean;
  /** The reader's own verdict on the check digit, when it gives one. */
  deviceCheckDigitValid?: boolean;
  confidence?: number;
  characterConfidence?: number[];
  /** ISO 6346 size-type code (22G1). */
  sizeType?: string;
  position?: string;
  side?: string;
  camera?: string;
  damage?: boolean;
  damageNotes?: string;
  doorDirection?: string;
}

/** What a reader said about one plate it read. */
export interface IdentifiedPlate {
  number: string;
  country?: string;
  region?: string;
  confidence?: number;
  characterConfidence?: number[];
  position?: string;
  camera?: string;
  plateType?: string;
  color?: string;
}

/** An identity other than a container or plate: an air waybill, a bag tag, a ULD (IATA). */
export interface IdentifiedItem {
  type: 'airWaybill' | 'bagTag' | 'uld';
  /** As read, upper case without spaces or dashes (as Declaration v2 stores them). */
  number: string;
  confidence?: number;
}

export interface IdentificationPayload {
  method: 'ocr' | 'lpr' | 'rfid' | 'barcode' | 'manual' | 'other';
  position?: string;
  /** sha256 of the main image in the raw store. */
  image?: string;
  /** The reader's own id of the reading. */
  readingId?: string;
  /** A first reading, or a correction of an earlier one (see Observation.replaces). */
  event?: 'new' | 'update';
  revision?: number;
  camera?: string;
  confidence?: number;
  direction?: 'in' | 'out' | 'unknown';
  containers?: IdentifiedContainer[];
  plates?: IdentifiedPlate[];
  damage?: { detected: boolean; notes?: string };
  seals?: Array<{ present: boolean; number?: string; position?: string; confidence?: number }>;
  vehicle?: { type?: string; color?: string; make?: string; model?: string; speedKmh?: number };
  hazardLabels?: Array<{ unNumber?: string; hazardId?: string; confidence?: number }>;
  /** Air waybills, bag tags, ULDs the reader read (the first is the observation's `conveyance.itemId`). */
  items?: IdentifiedItem[];
  /** The vessel call the conveyance came with, as a port gate's terminal system knows it. */
  vessel?: { name?: string; imo?: string; voyage?: string };
  /** The flight a bag or ULD is booked on, as the reader's system knows it. */
  flight?: { number: string; date?: string };
}

export interface DeviceEventPayload {
  event: 'background' | 'fault' | 'fault-cleared' | 'tamper' | 'tamper-cleared' | 'setup' | 'calibration' | 'other';
  code?: string;
  message?: string;
  values?: Record<string, number | string | boolean>;
}

export interface TelemetryPayload {
  values: Record<string, { value: number | string | boolean; unit?: string }>;
}

/** Every observation kind of data model v1 and the payload it carries. */
export interface PayloadByKind {
  'radiation.passage': RadiationPassagePayload;
  'radiation.spectrum': RadiationSpectrumPayload;
  'radiation.dose-rate': DoseRatePayload;
  'radiation.gross-count': GrossCountPayload;
  'radiation.nuclide-id': NuclideIdPayload;
  'xray.scan': XrayScanPayload;
  'xray.threat-report': ThreatReportPayload;
  weight: WeightPayload;
  identification: IdentificationPayload;
  'device.event': DeviceEventPayload;
  telemetry: TelemetryPayload;
}

export type ObservationKind = keyof PayloadByKind;
export type PayloadOf<K extends ObservationKind> = PayloadByKind[K];

export const OBSERVATION_KINDS: readonly ObservationKind[] = [
  'radiation.passage',
  'radiation.spectrum',
  'radiation.dose-rate',
  'radiation.gross-count',
  'radiation.nuclide-id',
  'xray.scan',
  'xray.threat-report',
  'weight',
  'identification',
  'device.event',
  'telemetry',
];
