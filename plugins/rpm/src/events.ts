/**
 * What a portal said, independent of the transport: the ASCII parser and the Modbus poller both
 * turn their input into these, and the passage builder consumes only these.
 */
export type GammaState = 'background' | 'low' | 'high' | 'scan' | 'alarm';
export type NeutronState = 'background' | 'high' | 'scan' | 'alarm';

export interface GammaSample {
  type: 'gamma';
  state: GammaState;
  counts: number[];
  intervalS: number;
}
export interface NeutronSample {
  type: 'neutron';
  state: NeutronState;
  counts: number[];
  intervalS: number;
}
/** Low and high energy-window counts summed over panels, for the gamma sample just before it. */
export interface WindowSample {
  type: 'windows';
  low: number;
  high: number;
}
export interface OccupancyEnd {
  type: 'occupancy-end';
  occupancyCount?: number;
  neutronBackground?: number;
}
export interface Speed {
  type: 'speed';
  kmh: number;
}
export interface Tamper {
  type: 'tamper';
  active: boolean;
}
export interface GammaSetup {
  type: 'setup-gamma';
  highBackground: number;
  lowBackground: number;
  nSigma: number;
  values: Record<string, number | string>;
}
export interface NeutronSetup {
  type: 'setup-neutron';
  highBackground: number;
  values: Record<string, number | string>;
}

export type RpmEvent = GammaSample | NeutronSample | WindowSample | OccupancyEnd | Speed | Tamper | GammaSetup | NeutronSetup;

/** Where transports deliver what they read. */
export interface EventSink {
  /** One decoded message, with the hub time it arrived. */
  event(e: RpmEvent, at: Date): void;
  /** Input that could not be decoded: counted, reported, never fatal. */
  malformed(reason: string, input: string): void;
  /** A message kind this plugin does not use. */
  unknown(input: string): void;
  /** The link came up (reconnected = it had been up before). */
  linkUp(reconnected: boolean): void;
  /** The link went down; an occupancy in progress is reported as incomplete. */
  linkDown(reason: Error): void;
  /** An attempt failed (connect refused, timeout, protocol exception): counted, the transport retries. */
  failure(err: Error): void;
  /** Samples the transport knows it missed (Modbus ring overrun). */
  lost(samples: number): void;
}

/** A transport reads one portal and feeds an EventSink until stopped. */
export interface Transport {
  start(): void;
  stop(): Promise<void>;
  /** Stop reading while the hub catches up (emit backpressure); resume reading. */
  pause(): void;
  resume(): void;
}
