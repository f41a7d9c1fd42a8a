import type { ObservationKind, PayloadOf } from './payloads.js';

export type { ObservationKind } from './payloads.js';

/** An ISO 6346 container number as the hub normalized it. */
export interface ContainerId {
  number: string;
  valid: boolean;
  raw?: string;
  confidence?: number;
}

/** A vehicle registration plate. */
export interface PlateId {
  number: string;
  country?: string;
  confidence?: number;
}

/** The identifiers of the conveyance an observation saw. */
export interface Conveyance {
  containers: ContainerId[];
  plates: PlateId[];
  itemId?: string;
}

export type AlarmCategory = 'gamma' | 'neutron' | 'isotope' | 'norm' | 'xray' | 'weight' | 'identity' | 'tamper' | 'fault' | 'other';

/** An alarm raised by the device or by the hub's own evaluation. */
export interface Alarm {
  category: AlarmCategory;
  source: 'device' | 'hub';
  level?: 'info' | 'warning' | 'alarm';
  message?: string;
  value?: number;
  threshold?: number;
}

export interface Quality {
  status: 'good' | 'uncertain' | 'bad';
  reasons?: string[];
}

/** A file in the hub's raw store, by content. */
export interface RawRef {
  sha256: string;
  key: string;
  size: number;
  contentType?: string;
  role?: string;
  name?: string;
}

/** One normalized observation, as accepted and stored by the hub. */
export interface Observation<K extends ObservationKind = ObservationKind> {
  schema: 'observation/v1';
  id: string;
  seq: number;
  checkpoint: string;
  lane: string | null;
  deviceId: string;
  plugin: { name: string; version: string };
  kind: K;
  sourceId?: string;
  /** The sourceId of the first observation of the reading this one corrects (UPDATE after NEW); the latest seq wins. */
  replaces?: string;
  deviceTime: string;
  receivedAt: string;
  conveyance: Conveyance;
  alarms: Alarm[];
  quality: Quality;
  payload: PayloadOf<K>;
  raw?: RawRef[];
  extensions?: Record<string, unknown>;
}

/** An observation before the hub's writer gave it its feed sequence number (`seq`), which it does at commit. */
export type UnsequencedObservation<K extends ObservationKind = ObservationKind> = Omit<Observation<K>, 'seq'>;

/**
 * What a driver emits: the hub adds id, seq, checkpoint, lane, device, plugin and receive time.
 * Container numbers may be given as plain strings; the hub normalizes and checks them.
 */
export interface ObservationDraft<K extends ObservationKind = ObservationKind> {
  kind: K;
  payload: PayloadOf<K>;
  /** Device time; defaults to the hub clock when the device gives none. */
  deviceTime?: string | Date;
  /** The device's own id for this record; duplicates of (device, sourceId) are accepted once. */
  sourceId?: string;
  /**
   * The sourceId of an earlier observation of this device that this one corrects (a reader's UPDATE after NEW).
   * Give it its own sourceId too; always name the first one, so a chain of corrections names one reading.
   */
  replaces?: string;
  conveyance?: { containers?: Array<string | ContainerId>; plates?: Array<string | PlateId>; itemId?: string };
  alarms?: Alarm[];
  quality?: Quality;
  raw?: RawRef[];
  extensions?: Record<string, unknown>;
}

/** What emit() resolves to once the hub has durably accepted an observation. */
export interface EmitReceipt {
  id: string;
  seq: number;
  /** True when (device, sourceId) had been accepted before; the earlier id and seq are returned. */
  duplicate: boolean;
}
