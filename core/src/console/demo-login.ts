import { TokenStore } from '../auth/token-store.js';
import { HUB_ACTOR } from '../auth/principal.js';
import { ROLE_SCOPES } from '../auth/roles.js';
import type { Scope } from '../auth/scopes.js';
import type { Database } from '../storage/database.js';

export const DEMO_LOGIN_NAME = 'demo-officer';
export const DEMO_SUPERVISOR_NAME = 'demo-supervisor';
/** What an officer at the console does: read everything, work cases; no admin, no device writes. */
export const OFFICER_SCOPES: Scope[] = ROLE_SCOPES.officer;

async function fresh(tokens: TokenStore, name: string, role: 'officer' | 'supervisor'): Promise<string> {
  for (const t of await tokens.list()) if (t.name === name && !t.revokedAt) await tokens.revoke(t.id, HUB_ACTOR);
  return (await tokens.create(name, ROLE_SCOPES[role], { role, actor: HUB_ACTOR })).token;
}

/**
 * A fresh officer token for this run of the demo. Tokens are stored only as hashes, so the previous
 * run's demo token cannot be shown again: it is revoked and a new one made.
 */
export async function createDemoLogin(db: Database, checkpoint: string | null = null): Promise<string> {
  return fresh(new TokenStore(db, checkpoint), DEMO_LOGIN_NAME, 'officer');
}

/** The demo's second person: a supervisor, who approves what four-eyes holds (a red case's release). */
export async function createDemoSupervisor(db: Database, checkpoint: string | null = null): Promise<string> {
  return fresh(new TokenStore(db, checkpoint), DEMO_SUPERVISOR_NAME, 'supervisor');
}
