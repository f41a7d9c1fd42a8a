import { resolve } from 'node:path';
import type { ConfigSection } from '../util/config-section.js';

/** The checkpoint YAML `audit:` section, parsed. */
export interface AuditConfig {
  /** Ed25519 private key (PEM, PKCS#8) that signs the chain head. */
  signingKeyFile: string;
  /** The demo's default: made on first start when the file is absent. A configured key must exist. */
  createKey: boolean;
  checkpointIntervalMs: number;
}

export const auditConfigSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'The tamper-evident audit log; see docs/security.md.',
  properties: {
    signingKey: {
      type: 'string',
      minLength: 1,
      description: 'Ed25519 private key file (PEM); relative to the config file. Default: <dataDir>/audit-signing-key.pem, created at first start.',
    },
    checkpointIntervalS: {
      type: 'number',
      minimum: 1,
      maximum: 86400,
      description: 'How often the chain head is signed and published on the feed (when it moved).',
    },
  },
} as const;

/** `base` is the config file's folder (paths are relative to it). */
export function parseAuditConfig(raw: { signingKey?: string; checkpointIntervalS?: number } | undefined, base: string, dataDir: string): AuditConfig {
  return {
    signingKeyFile: raw?.signingKey ? resolve(base, raw.signingKey) : resolve(dataDir, 'audit-signing-key.pem'),
    createKey: !raw?.signingKey,
    checkpointIntervalMs: Math.round((raw?.checkpointIntervalS ?? 60) * 1000),
  };
}

/** `audit:` — the signing key and how often the chain head is signed. */
export const auditSection: ConfigSection<AuditConfig> = {
  schema: auditConfigSchema,
  parse: (raw, { dir, dataDir }) => parseAuditConfig(raw, dir, dataDir),
};
