/** Options of the xray simulator (see the README for their meaning in the CLI). */
export interface XraySimulatorOptions {
  /** OPC UA port (0 picks a free one). */
  port: number;
  /** HTTP port of the image server (0 picks a free one). */
  httpPort: number;
  /** Seconds between scheduled scans; 0 scans only on demand. */
  intervalS: number;
  imageMb: number;
  seed: number;
  /** Share of scans with automatic findings, 0..1. */
  findingRate: number;
  /** Share of scans whose first container number has a wrong check digit, 0..1. */
  invalidRate: number;
  lane: string;
  /** Scans kept in the history folder. */
  historySize: number;
  /** Offer SignAndEncrypt (Basic256Sha256) besides None; the server's PKI lives in pkiDir. */
  secure: boolean;
  pkiDir?: string;
  /** Refuse client certificates the server has not trusted (as a locked-down scanner does); default: accept them. */
  rejectUnknownClients?: boolean;
  /** driven: no scans of its own; only the vehicles the lane twin passes (pass()). */
  traffic: 'random' | 'driven';
  /** The scanner's clock runs this many seconds ahead of the hub (negative: behind). */
  clockOffsetS: number;
}

/** The defaults `customs-hub simulate xray` uses. */
export const DEFAULT_OPTIONS: XraySimulatorOptions = {
  port: 4841, httpPort: 8089, intervalS: 30, imageMb: 20, seed: 1, findingRate: 0.3, invalidRate: 0.1,
  lane: 'CARGO-1', historySize: 50, secure: false, traffic: 'random', clockOffsetS: 0,
};
