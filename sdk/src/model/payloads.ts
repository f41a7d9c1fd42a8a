export type MeasurementClass = 'foreground' | 'background' | 'calibration' | 'intrinsic' | 'not-specified';
export interface Box { x: number; y: number; z?: number; width: number; height: number; depth?: number }

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
export interface GeoPoint { lat: number; lon: number; altM?: number }

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

export interface WeightPayload { grossKg: number; tareKg?: number; stable: boolean; axles?: number[] }

export interface IdentificationPayload {
  method: 'ocr' | 'lpr' | 'rfid' | 'manual' | 'other';
  position?: string;
  image?: string;
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
  'radiation.passage', 'radiation.spectrum', 'radiation.dose-rate', 'radiation.gross-count', 'radiation.nuclide-id',
  'xray.scan', 'xray.threat-report', 'weight', 'identification', 'device.event', 'telemetry',
];
