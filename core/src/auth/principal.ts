import type { Request } from '@hapi/hapi';
import type { Role } from './roles.js';

/**
 * Who a request acts as, from its credential only (a bearer token, a console session, a client
 * certificate) — never from its body. `subject` is the person or machine, `client` the credential used.
 */
export interface Principal {
  subject: string;
  role: Role;
  /** The credential: `token:<id>`, `session:<id>`, `cert:<fingerprint>`. */
  client: string;
  scope: string[];
}

/** Who did something, as the audit log records it: the principal and where the request came from. */
export interface Actor {
  subject: string;
  role: string;
  client: string;
  /** Remote address of the request, or `cli` / `hub` for local actions. */
  source: string;
}

/** The hub itself (scoring policy referrals, config reload by signal) as an actor. */
export const HUB_ACTOR: Actor = { subject: 'hub', role: 'system', client: 'hub', source: 'hub' };

/** The authenticated principal of a request; routes run only after authentication, so it is there. */
export function principalOf(req: Request): Principal {
  const c = req.auth.credentials as (Partial<Principal> & { name?: string; tokenId?: string }) | null;
  if (!c) throw new Error('no credentials on an authenticated route');
  return {
    subject: String(c.subject ?? c.name ?? 'unknown'),
    role: (c.role ?? 'machine') as Role,
    client: String(c.client ?? (c.tokenId ? `token:${c.tokenId}` : 'unknown')),
    scope: c.scope ?? [],
  };
}

/** The actor of a request for the audit log. */
export function actorOf(req: Request): Actor {
  const p = principalOf(req);
  return { subject: p.subject, role: p.role, client: p.client, source: sourceOf(req) };
}

export function sourceOf(req: Request): string {
  return req.info.remoteAddress || 'unknown';
}
