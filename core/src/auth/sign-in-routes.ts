import Boom from '@hapi/boom';
import type { Request, Server } from '@hapi/hapi';
import type { AuditInput } from '../audit/audit-entry.js';
import { sourceOf } from './principal.js';
import { SignInError, type OidcSignIn } from './oidc-sign-in.js';
import type { SwallowedErrors } from '../util/swallowed-errors.js';

export const SESSION_COOKIE = 'chub_session';
const LOGIN_COOKIE = 'chub_login';

/** The URL the browser used to reach the hub (the provider checks redirect URIs against its registration). */
function baseUrl(req: Request, configured: string | null): string {
  if (configured) return configured.replace(/\/+$/, '');
  return `${req.server.info.protocol}://${req.info.host}`;
}

/**
 * `/auth/login`, `/auth/callback`, `/auth/logout` and `/auth/session` for the console's OIDC sign-in. The
 * session cookie is HttpOnly, SameSite=Lax, Secure when the hub serves TLS, and lives as long as the session.
 */
export function registerSignInRoutes(server: Server, signIn: OidcSignIn, record: (input: AuditInput) => Promise<unknown>, errors?: SwallowedErrors): void {
  const secure = server.info.protocol === 'https';
  const ttl = signIn.config.sessionTtlMs;
  const cookie = {
    isHttpOnly: true,
    isSecure: secure,
    isSameSite: 'Lax' as const,
    path: '/',
    encoding: 'none' as const,
    strictHeader: true,
    ignoreErrors: true,
    clearInvalid: true,
  };
  server.state(SESSION_COOKIE, { ...cookie, ttl: Math.max(ttl, 3600_000) * 24 });
  server.state(LOGIN_COOKIE, { ...cookie, ttl: 10 * 60_000, path: '/auth' });
  const failed = (req: Request, reason: string, subject = 'unknown') =>
    record({
      actor: { subject, role: 'none', client: 'oidc', source: sourceOf(req) },
      action: 'signin.failed',
      object: { type: 'session', id: 'oidc' },
      details: { reason, issuer: signIn.config.issuer },
    }).catch((err) => errors?.record('audit.signin-failed', err, { source: sourceOf(req), reason }, 'failed sign-in not recorded in the audit log'));

  server.route({
    method: 'GET',
    path: '/auth/login',
    options: { auth: false, description: 'Starts the sign-in at the identity provider (authorization code + PKCE)' },
    handler: async (req, h) => {
      const { url, state } = await signIn.begin(`${baseUrl(req, signIn.config.publicUrl)}/auth/callback`).catch((err) => {
        throw Boom.badGateway((err as Error).message);
      });
      return h.redirect(url).state(LOGIN_COOKIE, state);
    },
  });
  server.route({
    method: 'GET',
    path: '/auth/callback',
    options: { auth: false, description: 'Where the identity provider sends the browser back' },
    handler: async (req, h) => {
      const error = req.query.error;
      if (typeof error === 'string') {
        await failed(req, `the provider answered ${error}: ${String(req.query.error_description ?? '')}`.slice(0, 300));
        throw Boom.unauthorized(`sign-in refused by the identity provider: ${error}`);
      }
      const url = new URL(`${baseUrl(req, signIn.config.publicUrl)}${req.url.pathname}${req.url.search}`);
      try {
        const { cookie: value, session, returnTo } = await signIn.complete(url, req.state[LOGIN_COOKIE] as string | undefined);
        await record({
          actor: { subject: session.subject, role: session.role, client: `session:${session.id}`, source: sourceOf(req) },
          action: 'signin',
          object: { type: 'session', id: session.id },
          details: { sub: session.sub, issuer: signIn.config.issuer, expiresAt: new Date(session.expiresAt).toISOString() },
        });
        return h.redirect(returnTo).state(SESSION_COOKIE, value).unstate(LOGIN_COOKIE);
      } catch (err) {
        if (!(err instanceof SignInError)) throw err;
        await failed(req, err.message, err.subject);
        return h
          .response({ statusCode: err.message.startsWith('no role') ? 403 : 401, error: 'Sign-in refused', message: err.message })
          .code(err.message.startsWith('no role') ? 403 : 401)
          .unstate(LOGIN_COOKIE);
      }
    },
  });
  server.route({
    method: 'GET',
    path: '/auth/logout',
    options: { auth: false, description: 'Ends the console session here and at the identity provider' },
    handler: async (req, h) => {
      const value = req.state[SESSION_COOKIE] as string | undefined;
      const back = `${baseUrl(req, signIn.config.publicUrl)}/console`;
      const { session, url } = value ? await signIn.end(value, back) : { session: null, url: back };
      if (session) {
        await record({
          actor: { subject: session.subject, role: session.role, client: `session:${session.id}`, source: sourceOf(req) },
          action: 'signout',
          object: { type: 'session', id: session.id },
        });
      }
      return h.redirect(url).unstate(SESSION_COOKIE);
    },
  });
}

/** Who a session cookie signs in, for the auth scheme; null when none, expired past refresh, or ended. */
export async function sessionCredentials(
  signIn: OidcSignIn,
  value: string,
): Promise<{ subject: string; name: string; role: string; client: string; sessionId: string; expiresAt: number } | null> {
  const s = await signIn.session(value);
  return s ? { subject: s.subject, name: s.subject, role: s.role, client: `session:${s.id}`, sessionId: s.id, expiresAt: s.expiresAt } : null;
}
