import { createHash, randomBytes } from 'node:crypto';
import type { Role } from './roles.js';

/** A console session after an OIDC sign-in. Tokens stay on the server; the browser holds only the cookie. */
export interface Session {
  id: string;
  subject: string;
  role: Exclude<Role, 'machine'>;
  /** The provider's `sub`, for the audit details. */
  sub: string;
  expiresAt: number;
  idToken: string;
  refreshToken: string | null;
}

/**
 * Sessions in memory, keyed by the sha256 of the cookie value (a copied heap dump holds no usable cookie).
 * A hub restart ends them: people sign in again, which the provider usually answers without a prompt.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  create(s: Omit<Session, 'id'>): { cookie: string; session: Session } {
    const cookie = randomBytes(32).toString('base64url');
    const session = { ...s, id: keyOf(cookie).slice(0, 16) };
    this.sessions.set(keyOf(cookie), session);
    if (this.sessions.size > 50_000) this.sweep();
    return { cookie, session };
  }

  get(cookie: string): Session | null {
    return this.sessions.get(keyOf(cookie)) ?? null;
  }

  delete(cookie: string): Session | null {
    const k = keyOf(cookie);
    const s = this.sessions.get(k) ?? null;
    this.sessions.delete(k);
    return s;
  }

  /** Drops sessions that expired without a refresh token to extend them, and those a day past expiry. */
  sweep(now = Date.now()): void {
    for (const [k, s] of this.sessions) if ((s.expiresAt < now && !s.refreshToken) || s.expiresAt < now - 86_400_000) this.sessions.delete(k);
  }
}

function keyOf(cookie: string): string {
  return createHash('sha256').update(cookie).digest('hex');
}
