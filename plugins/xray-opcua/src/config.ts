import type { JsonSchema } from '@customs-hub/sdk';
import { isTimeZone } from '@customs-hub/sdk';
import {
  DEFAULT_FINDING_FIELDS,
  DEFAULT_SCAN_FIELDS,
  DEFAULT_STATUS_WORDS,
  DEFAULT_VERDICTS,
  defaultScannerNodes,
  STATUS_MEANINGS,
  XRAY_NAMESPACE_URI,
  type FindingFields,
  type ScanFields,
  type ScannerNodes,
  type StatusMeaning,
  type VerdictMeaning,
} from './address-space.js';

/** Where the driver finds scans it missed (while away, or folded in a burst). */
export const HISTORY_SOURCES = ['folder', 'historyRead', 'none'] as const;
export type HistorySource = (typeof HISTORY_SOURCES)[number];

/** OPC UA message security modes a device config may ask for. */
export const SECURITY_MODES = ['None', 'Sign', 'SignAndEncrypt'] as const;
/** OPC UA security policies a device config may ask for (no deprecated ones). */
export const SECURITY_POLICIES = ['None', 'Basic256Sha256', 'Aes128_Sha256_RsaOaep', 'Aes256_Sha256_RsaPss'] as const;

/** One scanner's `config` block, as the hub validated it against configSchema. */
export interface XrayConfig {
  /** opc.tcp://host:port of the scanner or its vendor gateway. */
  endpointUrl: string;
  securityMode?: (typeof SECURITY_MODES)[number];
  securityPolicy?: (typeof SECURITY_POLICIES)[number];
  user?: { userName: string; password: string };
  namespaceUri?: string;
  /** Overrides of the scanner-level node ids, in expanded form (nsu=…;s=…). */
  nodes?: Partial<ScannerNodes>;
  /** Overrides of the per-scan browse names. */
  fields?: Partial<ScanFields>;
  findingFields?: Partial<FindingFields>;
  publishingIntervalMs?: number;
  /** Seconds without any data change before the subscription is recreated. */
  watchdogS?: number;
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** Seconds allowed to download one image. */
  imageTimeoutS?: number;
  /** Download attempts per image before the scan is emitted with imageStatus 'missing'. */
  imageAttempts?: number;
  /** Vendor status words and what they mean (merged over Ready, Scanning, Fault, Maintenance, Off). */
  statusWords?: Record<string, StatusMeaning>;
  /** Vendor verdict words and what they mean (merged over CLEAR, SUSPECT). */
  verdicts?: Record<string, VerdictMeaning>;
  /** IANA zone of the scanner's clock, for times it writes as strings without a UTC offset (default UTC). */
  timeZone?: string;
  /** The separator of a list (container numbers) sent as one string; unset: ; , | or a line break, noted in quality. */
  listSeparator?: string;
  /** folder (default): browse nodes.history; historyRead: OPC UA HistoryRead on nodes.lastScan; none: the scanner keeps no history. */
  historySource?: HistorySource;
  /** Seconds of history read on the very first start, before there is a cursor (historyRead). */
  historyLookbackS?: number;
}

/** The config with every default filled in. */
export interface ResolvedConfig {
  endpointUrl: string;
  securityMode: (typeof SECURITY_MODES)[number];
  securityPolicy: (typeof SECURITY_POLICIES)[number];
  user?: { userName: string; password: string };
  namespaceUri: string;
  nodes: ScannerNodes;
  fields: ScanFields;
  findingFields: FindingFields;
  publishingIntervalMs: number;
  watchdogMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  imageTimeoutMs: number;
  imageAttempts: number;
  mapping: ValueMapping;
  historySource: HistorySource;
  historyLookbackMs: number;
}

/** How values are read: the vendor's words, zone and separator (what the pure decoders need). */
export interface ValueMapping {
  statusWords: Record<string, StatusMeaning>;
  verdicts: Record<string, VerdictMeaning>;
  timeZone: string;
  listSeparator?: string;
  fields: ScanFields;
  findingFields: FindingFields;
}

/** The documented mapping, with overrides. */
export function resolveMapping(c: Pick<XrayConfig, 'statusWords' | 'verdicts' | 'timeZone' | 'listSeparator' | 'fields' | 'findingFields'> = {}): ValueMapping {
  const timeZone = c.timeZone ?? 'UTC';
  if (!isTimeZone(timeZone)) throw new Error(`xray-opcua config timeZone: '${timeZone}' is not an IANA time zone (e.g. Europe/Warsaw, UTC)`);
  const out: ValueMapping = {
    statusWords: { ...DEFAULT_STATUS_WORDS, ...c.statusWords },
    verdicts: { ...DEFAULT_VERDICTS, ...c.verdicts },
    timeZone,
    fields: { ...DEFAULT_SCAN_FIELDS, ...c.fields },
    findingFields: { ...DEFAULT_FINDING_FIELDS, ...c.findingFields },
  };
  if (c.listSeparator !== undefined) out.listSeparator = c.listSeparator;
  return out;
}

/** Fills in the documented defaults. */
export function resolveConfig(c: XrayConfig): ResolvedConfig {
  const namespaceUri = c.namespaceUri ?? XRAY_NAMESPACE_URI;
  const out: ResolvedConfig = {
    endpointUrl: c.endpointUrl,
    securityMode: c.securityMode ?? 'None',
    securityPolicy: c.securityPolicy ?? 'None',
    namespaceUri,
    nodes: { ...defaultScannerNodes(namespaceUri), ...c.nodes },
    fields: { ...DEFAULT_SCAN_FIELDS, ...c.fields },
    findingFields: { ...DEFAULT_FINDING_FIELDS, ...c.findingFields },
    publishingIntervalMs: c.publishingIntervalMs ?? 250,
    watchdogMs: (c.watchdogS ?? 10) * 1000,
    reconnectMinMs: c.reconnectMinMs ?? 1000,
    reconnectMaxMs: c.reconnectMaxMs ?? 30000,
    imageTimeoutMs: (c.imageTimeoutS ?? 300) * 1000,
    imageAttempts: c.imageAttempts ?? 3,
    mapping: resolveMapping(c),
    historySource: c.historySource ?? 'folder',
    historyLookbackMs: (c.historyLookbackS ?? 86400) * 1000,
  };
  if (c.user) out.user = c.user;
  return out;
}

const nodeId = { type: 'string', minLength: 1, maxLength: 500 };
const browseName = { type: 'string', minLength: 1, maxLength: 200 };
const names = (keys: readonly string[]) => ({
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(keys.map((k) => [k, browseName])),
});

const words = (meanings: string[]) => ({
  type: 'object',
  maxProperties: 200,
  propertyNames: { minLength: 1, maxLength: 100 },
  additionalProperties: { enum: meanings },
});

/** JSON Schema of XrayConfig; a secure mode and a real policy go together. */
export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['endpointUrl'],
  properties: {
    endpointUrl: { type: 'string', pattern: '^opc\\.tcp://.+' },
    securityMode: { enum: [...SECURITY_MODES] },
    securityPolicy: { enum: [...SECURITY_POLICIES] },
    user: {
      type: 'object',
      additionalProperties: false,
      required: ['userName', 'password'],
      properties: { userName: { type: 'string', minLength: 1 }, password: { type: 'string' } },
    },
    namespaceUri: { type: 'string', minLength: 1, maxLength: 500 },
    nodes: { type: 'object', additionalProperties: false, properties: Object.fromEntries(Object.keys(defaultScannerNodes('x')).map((k) => [k, nodeId])) },
    fields: names(Object.keys(DEFAULT_SCAN_FIELDS)),
    findingFields: names(Object.keys(DEFAULT_FINDING_FIELDS)),
    publishingIntervalMs: { type: 'integer', minimum: 50, maximum: 60000 },
    watchdogS: { type: 'number', minimum: 0.5, maximum: 3600 },
    reconnectMinMs: { type: 'integer', minimum: 50, maximum: 600000 },
    reconnectMaxMs: { type: 'integer', minimum: 50, maximum: 600000 },
    imageTimeoutS: { type: 'number', exclusiveMinimum: 0, maximum: 3600 },
    imageAttempts: { type: 'integer', minimum: 1, maximum: 10 },
    statusWords: words([...STATUS_MEANINGS]),
    verdicts: words(['clear', 'suspect']),
    timeZone: { type: 'string', minLength: 1, maxLength: 64, description: 'IANA zone such as Europe/Warsaw' },
    listSeparator: { type: 'string', minLength: 1, maxLength: 5 },
    historySource: { enum: [...HISTORY_SOURCES] },
    historyLookbackS: { type: 'number', minimum: 0, maximum: 366 * 86400 },
  },
  // A secure mode needs a real policy, and a policy other than None needs a secure mode.
  allOf: [
    {
      if: { required: ['securityMode'], properties: { securityMode: { enum: ['Sign', 'SignAndEncrypt'] } } },
      then: { required: ['securityPolicy'], properties: { securityPolicy: { not: { const: 'None' } } } },
    },
    {
      if: { required: ['securityPolicy'], properties: { securityPolicy: { not: { const: 'None' } } } },
      then: { required: ['securityMode'], properties: { securityMode: { enum: ['Sign', 'SignAndEncrypt'] } } },
    },
  ],
};
