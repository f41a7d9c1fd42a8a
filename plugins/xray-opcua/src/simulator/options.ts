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
  /** How this scanner's model differs from the documented one (a vendor's quirks, for tests). */
  vendor?: Partial<VendorShape>;
}

/** Where a real vendor's model departs from the documented address space. */
export interface VendorShape {
  /** folder: the Scans history folder; none: no archive folder (scan objects only reachable by LastScan). */
  archive: 'folder' | 'none';
  /** node: LastScan is the scan object's NodeId; record: LastScan is the whole scan as one JSON string. */
  lastScan: 'node' | 'record';
  /** LastScan is historized: OPC UA HistoryRead gives its past values (historySize of them). */
  historizing: boolean;
  /** LastScan's minimum sampling interval (ms): above 0 the server samples it, folding quick announcements into one notification. */
  samplingMs: number;
  /** false: no Status / StatusMessage nodes at all. */
  statusNode: boolean;
  /** The vendor's words for the documented ones (Ready, Scanning, Fault, …); unlisted words stay. */
  statusWords: Record<string, string>;
  /** A Verdict variable with these words (SUSPECT when the scan has findings); null: no verdict. */
  verdicts: { clear: string; suspect: string } | null;
  /** datetime: DateTime; iso: '2026-…Z' strings; iso-basic: '+0300' offsets without colon; local: wall time in UTC+3 without offset. */
  times: 'datetime' | 'iso' | 'iso-basic' | 'local';
  /** array: String[]; delimited: one string joined with ';'. */
  containers: 'array' | 'delimited';
  /** A reboot (restartServer) loses the history and restarts the scan id counter: ids are reused. */
  resetIdsOnRestart: boolean;
}

/** The documented model. */
export const DOCUMENTED_SHAPE: VendorShape = {
  archive: 'folder',
  lastScan: 'node',
  historizing: false,
  samplingMs: 0,
  statusNode: true,
  statusWords: {},
  verdicts: null,
  times: 'datetime',
  containers: 'array',
  resetIdsOnRestart: false,
};

/** The defaults `customs-hub simulate xray` uses. */
export const DEFAULT_OPTIONS: XraySimulatorOptions = {
  port: 4841,
  httpPort: 8089,
  intervalS: 30,
  imageMb: 20,
  seed: 1,
  findingRate: 0.3,
  invalidRate: 0.1,
  lane: 'CARGO-1',
  historySize: 50,
  secure: false,
  traffic: 'random',
  clockOffsetS: 0,
};
