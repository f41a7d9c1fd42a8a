import { TokenStore } from '../auth/token-store.js';
import type { Scope } from '../auth/scopes.js';
import type { Database } from '../storage/database.js';

export const DEMO_LOGIN_NAME = 'demo-officer';
/** What an officer at the console does: read everything, work cases; no admin, no device writes. */
export const OFFICER_SCOPES: Scope[] = ['feed:read', 'observations:read', 'devices:read', 'config:read', 'cases:read', 'cases:write', 'metrics:read'];

/**
 * A fresh officer token for this run of the demo. Tokens are stored only as hashes, so the previous
 * run's demo token cannot be shown again: it is revoked and a new one made.
 */
export async function createDemoLogin(db: Database): Promise<string> {
  const tokens = new TokenStore(db);
  for (const t of await tokens.list()) if (t.name === DEMO_LOGIN_NAME && !t.revokedAt) await tokens.revoke(t.id);
  return (await tokens.create(DEMO_LOGIN_NAME, OFFICER_SCOPES)).token;
}
