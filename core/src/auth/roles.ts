import type { Scope } from './scopes.js';

/**
 * Who works with a hub. People sign in with one of the first four roles; the central system and other
 * machines hold bearer tokens with the scopes they need (role `machine`).
 */
export const ROLES = ['officer', 'supervisor', 'integrator', 'auditor', 'machine'] as const;
export type Role = (typeof ROLES)[number];

const OFFICER: Scope[] = ['feed:read', 'observations:read', 'devices:read', 'config:read', 'cases:read', 'cases:write', 'metrics:read'];

/** The scopes each person's role is granted; a machine's token carries its own list. */
export const ROLE_SCOPES: Record<Exclude<Role, 'machine'>, Scope[]> = {
  // Cases and outcomes.
  officer: OFFICER,
  // An officer who also approves: releasing red cases, promoting models, changing the scoring policy.
  supervisor: [...OFFICER, 'cases:approve'],
  // Devices and config; no case decisions.
  integrator: ['feed:read', 'observations:read', 'devices:read', 'devices:write', 'config:read', 'metrics:read'],
  // Read-only, and the audit log.
  auditor: ['feed:read', 'observations:read', 'devices:read', 'config:read', 'cases:read', 'metrics:read', 'audit:read'],
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function parseRole(text: string): Role {
  if (!isRole(text)) throw new Error(`unknown role '${text}' (known: ${ROLES.join(', ')})`);
  return text;
}
