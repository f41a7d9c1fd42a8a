import Boom from '@hapi/boom';
import type { Request, Server } from '@hapi/hapi';
import type { RateLimiter } from './rate-limiter.js';
import type { TokenStore } from './token-store.js';
import { ROLE_SCOPES } from './roles.js';
import { effectiveScopes } from './scopes.js';
import { SESSION_COOKIE } from './sign-in-routes.js';
import { certificateCredentials } from './client-certificate.js';
import type { MtlsConfig } from './security-config.js';

export interface BearerOptions {
  /** The credentials of a console session cookie, when OIDC sign-in is on. */
  session?: (cookie: string) => Promise<{ subject: string; role: string; client: string } | null>;
  /** A presented token was refused (for the audit log's failed sign-ins). */
  onFailure?: (request: Request, reason: string) => void;
  /** Client certificates mapped to machine identities (mTLS). */
  mtls?: MtlsConfig | null;
}

/**
 * The `bearer` auth scheme, set as the server's default strategy: every route needs a valid token unless it
 * says `auth: false` (health only). Routes declare scopes with `auth: { access: { scope: [...] } }`.
 * Tokens come from `Authorization: Bearer …`, or — only on routes that opt in with `plugins: { bearer: { queryToken: true } }`,
 * the SSE stream for EventSource clients that cannot set headers — from `?access_token=`. Elsewhere a token in
 * a URL would end up in proxies' and browsers' histories, so it is refused.
 */
export function registerBearerAuth(server: Server, tokens: TokenStore, limiter: RateLimiter, options: BearerOptions = {}, failures?: RateLimiter): void {
  server.auth.scheme('bearer', () => ({
    authenticate: async (request, h) => {
      const header = request.headers.authorization as string | undefined;
      // A console session (OIDC sign-in): the cookie, and for changes a header a cross-site form cannot send.
      const cookie = header === undefined && options.session ? (request.state?.[SESSION_COOKIE] as string | undefined) : undefined;
      if (cookie && options.session) {
        const s = await options.session(cookie);
        if (!s) throw Boom.unauthorized('the console session has ended; sign in again', 'Bearer');
        if (!['get', 'head'].includes(request.method) && request.headers['x-requested-with'] !== 'customs-hub-console') {
          throw Boom.forbidden('a change made with the session cookie needs the header X-Requested-With: customs-hub-console');
        }
        return h.authenticated({ credentials: { ...s, scope: effectiveScopes(ROLE_SCOPES[s.role as keyof typeof ROLE_SCOPES] ?? []) } });
      }
      // A client certificate (mTLS) that maps to a machine identity, when no token is sent.
      if (header === undefined && options.mtls) {
        const machine = certificateCredentials(request, options.mtls);
        if (machine) {
          const wait = limiter.take(machine.client);
          if (wait > 0) {
            const err = Boom.tooManyRequests(`rate limit of '${machine.name}' exceeded; retry in ${wait} s`);
            err.output.headers['Retry-After'] = String(wait);
            throw err;
          }
          return h.authenticated({ credentials: machine });
        }
      }
      let token: string | undefined;
      if (header !== undefined) {
        const m = /^Bearer\s+(\S+)$/i.exec(header);
        if (!m) throw Boom.unauthorized('the Authorization header must be "Bearer <token>"', 'Bearer');
        token = m[1];
      } else if (typeof request.query.access_token === 'string') {
        const plugins = request.route.settings.plugins as { bearer?: { queryToken?: boolean } } | undefined;
        if (!plugins?.bearer?.queryToken)
          throw Boom.unauthorized('send the token in the Authorization header; ?access_token= is accepted only by the feed stream', 'Bearer');
        token = request.query.access_token;
      }
      if (!token) throw Boom.unauthorized(null, 'Bearer');
      // A client address that keeps presenting bad tokens is slowed down before any lookup; tokens this process
      // already verified still pass from memory, so a flood from a shared address does not lock out real clients.
      const address = request.info.remoteAddress;
      let credentials = tokens.cached(token);
      if (!credentials) {
        const blocked = failures?.waiting(address) ?? 0;
        if (blocked > 0) {
          const err = Boom.tooManyRequests(`too many failed authentications from ${address}; retry in ${blocked} s`);
          err.output.headers['Retry-After'] = String(blocked);
          throw err;
        }
        credentials = await tokens.verify(token);
      }
      if (!credentials) {
        failures?.take(address);
        options.onFailure?.(request, 'invalid or revoked token');
        throw Boom.unauthorized('invalid or revoked token', 'Bearer');
      }
      const wait = limiter.take(credentials.tokenId);
      if (wait > 0) {
        const err = Boom.tooManyRequests(`rate limit of token '${credentials.name}' exceeded; retry in ${wait} s`);
        err.output.headers['Retry-After'] = String(wait);
        throw err;
      }
      return h.authenticated({ credentials: { ...credentials } });
    },
  }));
  server.auth.strategy('bearer', 'bearer');
  server.auth.default('bearer');
}
