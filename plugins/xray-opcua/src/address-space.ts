/**
 * The address space this plugin defines for a cargo X-ray scanner (no companion specification exists).
 * Node ids are written in expanded form (`nsu=<namespace URI>;s=...`) and resolved against the server's
 * namespace array at run time; a vendor whose model differs overrides them in the device config.
 */
export const XRAY_NAMESPACE_URI = 'urn:customs-hub:xray-scanner';

/** The scanner-level nodes the driver subscribes to or browses. */
export interface ScannerNodes {
  /** String: Ready, Scanning, Fault, Maintenance, Off. */
  status: string;
  /** String: what the scanner says about its status (fault text). */
  statusMessage: string;
  /** NodeId of the latest complete scan object (a String scan id is accepted too). */
  lastScan: string;
  /** Folder (Organizes) of recent scan objects: the scan history. */
  history: string;
  /** Any variable that changes at least every few seconds; the watchdog's pulse. */
  heartbeat: string;
}

/** Browse names of the variables (and two folders) of one scan object. */
export interface ScanFields {
  scanId: string;
  lane: string;
  startTime: string;
  endTime: string;
  containers: string;
  plate: string;
  imageUrl: string;
  imageSize: string;
  imageSha256: string;
  imageFormat: string;
  imageWidth: string;
  imageHeight: string;
  meanDensity: string;
  findings: string;
  annotations: string;
  /** The scanner's own verdict on the scan (CLEAR / SUSPECT or vendor words), when it gives one. */
  verdict: string;
}

/** Browse names of the variables of one finding (automatic) or annotation (operator). */
export interface FindingFields {
  class: string;
  box: string;
  confidence: string;
  note: string;
  operator: string;
}

/** The documented scanner nodes under the given namespace URI. */
export function defaultScannerNodes(uri: string): ScannerNodes {
  const ns = `nsu=${uri};s=XrayScanner`;
  return {
    status: `${ns}.Status`,
    statusMessage: `${ns}.StatusMessage`,
    lastScan: `${ns}.LastScan`,
    history: `${ns}.Scans`,
    // Server_ServerStatus_CurrentTime: every OPC UA server has it and it moves every second.
    heartbeat: 'i=2258',
  };
}

/** The documented browse names of a scan object's children. */
export const DEFAULT_SCAN_FIELDS: ScanFields = {
  scanId: 'ScanId',
  lane: 'Lane',
  startTime: 'StartTime',
  endTime: 'EndTime',
  containers: 'ContainerNumbers',
  plate: 'Plate',
  imageUrl: 'ImageUrl',
  imageSize: 'ImageSize',
  imageSha256: 'ImageSha256',
  imageFormat: 'ImageFormat',
  imageWidth: 'ImageWidth',
  imageHeight: 'ImageHeight',
  meanDensity: 'MeanDensity',
  findings: 'Findings',
  annotations: 'Annotations',
  verdict: 'Verdict',
};

/** What a scanner's status word means for the device. */
export type StatusMeaning = 'online' | 'busy' | 'degraded' | 'fault';
export const STATUS_MEANINGS: readonly StatusMeaning[] = ['online', 'busy', 'degraded', 'fault'];

/** The documented status words; a vendor's config adds its own (statusWords). */
export const DEFAULT_STATUS_WORDS: Record<string, StatusMeaning> = {
  Ready: 'online',
  Scanning: 'busy',
  Fault: 'fault',
  Maintenance: 'degraded',
  Off: 'degraded',
};

/** What a scanner's verdict word means. */
export type VerdictMeaning = 'clear' | 'suspect';
export const DEFAULT_VERDICTS: Record<string, VerdictMeaning> = { CLEAR: 'clear', SUSPECT: 'suspect' };

/** The documented browse names of a finding's or annotation's variables. */
export const DEFAULT_FINDING_FIELDS: FindingFields = {
  class: 'Class',
  box: 'BoundingBox',
  confidence: 'Confidence',
  note: 'Note',
  operator: 'Operator',
};

/** Finding classes the simulator produces and the README documents; scanners may send others. */
export const FINDING_CLASSES = ['organic-anomaly', 'dense-object', 'hidden-compartment', 'undeclared-liquid'] as const;
