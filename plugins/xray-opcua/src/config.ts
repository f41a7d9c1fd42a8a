import type { JsonSchema } from '@customs-hub/sdk';
import { DEFAULT_FINDING_FIELDS, DEFAULT_SCAN_FIELDS, defaultScannerNodes, XRAY_NAMESPACE_URI, type FindingFields, type ScanFields, type ScannerNodes } from './address-space.js';

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
  };
  if (c.user) out.user = c.user;
  return out;
}

const nodeId = { type: 'string', minLength: 1, maxLength: 500 };
const browseName = { type: 'string', minLength: 1, maxLength: 200 };
const names = (keys: readonly string[]) => ({
  type: 'object', additionalProperties: false, properties: Object.fromEntries(keys.map((k) => [k, browseName])),
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
      type: 'object', additionalProperties: false, required: ['userName', 'password'],
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
  },
  // A secure mode needs a real policy, and a policy other than None needs a secure mode.
  allOf: [
    { if: { required: ['securityMode'], properties: { securityMode: { enum: ['Sign', 'SignAndEncrypt'] } } },
      then: { required: ['securityPolicy'], properties: { securityPolicy: { not: { const: 'None' } } } } },
    { if: { required: ['securityPolicy'], properties: { securityPolicy: { not: { const: 'None' } } } },
      then: { required: ['securityMode'], properties: { securityMode: { enum: ['Sign', 'SignAndEncrypt'] } } } },
  ],
};
