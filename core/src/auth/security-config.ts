import { resolve } from 'node:path';
import type { Role } from './roles.js';
import { SCOPES } from './scopes.js';
import type { ConfigSection } from '../util/config-section.js';

export interface OidcConfig {
  /** The identity provider's issuer URL; its /.well-known/openid-configuration is read at start. */
  issuer: string;
  clientId: string;
  /** From the environment (`${OIDC_CLIENT_SECRET}`), never the file. */
  clientSecret: string;
  /** The hub's public base URL (https://hub.example/); default: the URL the browser used. */
  publicUrl: string | null;
  scopes: string;
  /** The ID token claim holding the person's groups or roles (a string or a list). */
  roleClaim: string;
  /** Claim value → role, in order: the first value the person has decides. */
  roles: Array<{ claim: string; role: Exclude<Role, 'machine'> }>;
  /** The claim shown as the person's name in the audit log (default preferred_username, else sub). */
  subjectClaim: string;
  sessionTtlMs: number;
}

/** A client certificate the API accepts, and the machine identity it stands for. */
export interface MtlsClient {
  /** Matched against the certificate's subject CN, or its SHA-256 fingerprint (hex, colons optional). */
  cn: string | null;
  fingerprint: string | null;
  name: string;
  scopes: string[];
}

export interface MtlsConfig {
  /** CA bundle (PEM) that client certificates must chain to; absolute path. */
  caFile: string;
  /** true: the TLS handshake refuses clients without a valid certificate; false: a certificate or a token. */
  required: boolean;
  clients: MtlsClient[];
}

/** The checkpoint YAML `security:` section, parsed. */
export interface SecurityConfig {
  /** Client certificates on the API (needs `api.tls`); null when off. */
  mtls: MtlsConfig | null;
  /** How people sign in to the console: a pasted token (the demo) or the service's identity provider. */
  signIn: 'token' | 'oidc';
  oidc: OidcConfig | null;
  /** Which decisions need a second person with the supervisor role. */
  fourEyes: { releaseRed: boolean; promoteModel: boolean; scoringPolicy: boolean };
}

const PERSON_ROLES = ['officer', 'supervisor', 'integrator', 'auditor'];

export const securityConfigSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'Roles, sign-in and four-eyes approval; see docs/security.md.',
  if: { required: ['signIn'], properties: { signIn: { const: 'oidc' } } },
  then: { required: ['oidc'] },
  properties: {
    signIn: { enum: ['token', 'oidc'], description: 'token (default): the console takes a pasted token; oidc: sign-in at the identity provider' },
    oidc: {
      type: 'object',
      additionalProperties: false,
      required: ['issuer', 'clientId', 'clientSecret', 'roles'],
      properties: {
        issuer: { type: 'string', pattern: '^https?://' },
        clientId: { type: 'string', minLength: 1 },
        clientSecret: { type: 'string', minLength: 1, description: 'use ${OIDC_CLIENT_SECRET}: secrets come from the environment' },
        publicUrl: { type: 'string', pattern: '^https?://' },
        scopes: { type: 'string', minLength: 1 },
        roleClaim: { type: 'string', minLength: 1 },
        subjectClaim: { type: 'string', minLength: 1 },
        roles: {
          type: 'object',
          minProperties: 1,
          additionalProperties: { enum: PERSON_ROLES },
          description: 'claim value → role (officer, supervisor, integrator, auditor); the first the person has wins',
        },
        sessionTtlS: { type: 'integer', minimum: 1, maximum: 86400 },
      },
    },
    mtls: {
      type: 'object',
      additionalProperties: false,
      required: ['ca', 'clients'],
      description: 'Client certificates on the API (needs api.tls): each maps to a machine identity with scopes.',
      properties: {
        ca: { type: 'string', minLength: 1, description: 'CA bundle (PEM) client certificates must chain to; relative to the config file' },
        required: { type: 'boolean', description: 'true: no connection without a valid client certificate; false (default): a certificate or a token' },
        clients: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'scopes'],
            properties: {
              cn: { type: 'string', minLength: 1 },
              fingerprint: { type: 'string', pattern: '^([0-9A-Fa-f]{2}:?){32}$' },
              name: { type: 'string', minLength: 1, maxLength: 100 },
              scopes: { type: 'array', minItems: 1, items: { enum: [...SCOPES] } },
            },
            anyOf: [{ required: ['cn'] }, { required: ['fingerprint'] }],
          },
        },
      },
    },
    fourEyes: {
      type: 'object',
      additionalProperties: false,
      description: 'Decisions that a supervisor other than the requester must approve (all true by default).',
      properties: {
        releaseRed: { type: 'boolean' },
        promoteModel: { type: 'boolean', description: 'POST /api/v1/models/{id}/promote needs a second supervisor; the CLI promote refuses' },
        scoringPolicy: { type: 'boolean', description: 'PUT /api/v1/scoring/policy needs a second supervisor' },
      },
    },
  },
} as const;

type Raw = {
  signIn?: 'token' | 'oidc';
  oidc?: {
    issuer: string;
    clientId: string;
    clientSecret: string;
    publicUrl?: string;
    scopes?: string;
    roleClaim?: string;
    subjectClaim?: string;
    roles: Record<string, string>;
    sessionTtlS?: number;
  };
  fourEyes?: Partial<SecurityConfig['fourEyes']>;
  mtls?: { ca: string; required?: boolean; clients: Array<{ cn?: string; fingerprint?: string; name: string; scopes: string[] }> };
};

/** `base` is the config file's folder: paths in the file are relative to it. */
export function parseSecurityConfig(raw: Raw | undefined, base = process.cwd()): SecurityConfig {
  const signIn = raw?.signIn ?? 'token';
  const o = raw?.oidc;
  if (signIn === 'oidc' && !o) throw new Error('security.signIn is oidc but security.oidc is missing');
  const m = raw?.mtls;
  return {
    mtls: m
      ? {
          caFile: resolve(base, m.ca),
          required: m.required ?? false,
          clients: m.clients.map((c) => ({
            cn: c.cn ?? null,
            fingerprint: c.fingerprint ? c.fingerprint.replace(/:/g, '').toUpperCase() : null,
            name: c.name,
            scopes: c.scopes,
          })),
        }
      : null,
    signIn,
    oidc: o
      ? {
          issuer: o.issuer,
          clientId: o.clientId,
          clientSecret: o.clientSecret,
          publicUrl: o.publicUrl ?? null,
          scopes: o.scopes ?? 'openid profile email offline_access',
          roleClaim: o.roleClaim ?? 'roles',
          subjectClaim: o.subjectClaim ?? 'preferred_username',
          roles: Object.entries(o.roles).map(([claim, role]) => ({ claim, role: role as OidcConfig['roles'][number]['role'] })),
          sessionTtlMs: (o.sessionTtlS ?? 900) * 1000,
        }
      : null,
    fourEyes: {
      releaseRed: raw?.fourEyes?.releaseRed ?? true,
      promoteModel: raw?.fourEyes?.promoteModel ?? true,
      scoringPolicy: raw?.fourEyes?.scoringPolicy ?? true,
    },
  };
}

/** `security:` — sign-in, mTLS and four-eyes. */
export const securitySection: ConfigSection<SecurityConfig> = {
  schema: securityConfigSchema,
  parse: (raw, { dir }) => parseSecurityConfig(raw, dir),
};
