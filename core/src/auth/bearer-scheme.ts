import Boom from '@hapi/boom';
import type { Server } from '@hapi/hapi';
import type { RateLimiter } from './rate-limiter.js';
import type { TokenStore } from './token-store.js';

/**
 * The `bearer` auth scheme, set as the server's default strategy: every route needs a valid token unless it
 * says `auth: false` (health only). Routes declare scopes with `auth: { access: { scope: [...] } }`.
 * Tokens come from `Authorization: Bearer …`, or — only on routes that opt in with `plugins: { bearer: { queryToken: true } }`,
 * the SSE stream for EventSource clients that cannot set headers — from `?access_token=`. Elsewhere a token in
 * a URL would end up in proxies' and browsers' histories, so it is refused.
 */
export function registerBearerAuth(server: Server, tokens: TokenStore, limiter: RateLimiter, failures: RateLimiter): void {
  server.auth.scheme('bearer', () => ({
    authenticate: async (request, h) => {
      const header = request.headers.authorization as string | undefined;
      let token: string | undefined;
      if (header !== undefined) {
        const m = /^Bearer\s+(\S+)$/i.exec(header);
        if (!m) throw Boom.unauthorized('the Authorization header must be "Bearer <token>"', 'Bearer');
        token = m[1];
      } else if (typeof request.query.access_token === 'string') {
        const plugins = request.route.settings.plugins as { bearer?: { queryToken?: boolean } } | undefined;
        if (!plugins?.bearer?.queryToken) throw Boom.unauthorized('send the token in the Authorization header; ?access_token= is accepted only by the feed stream', 'Bearer');
        token = request.query.access_token;
      }
      if (!token) throw Boom.unauthorized(null, 'Bearer');
      // A client address that keeps presenting bad tokens is slowed down before any lookup; tokens this process
      // already verified still pass from memory, so a flood from a shared address does not lock out real clients.
      const address = request.info.remoteAddress;
      let credentials = tokens.cached(token);
      if (!credentials) {
        const blocked = failures.waiting(address);
        if (blocked > 0) {
          const err = Boom.tooManyRequests(`too many failed authentications from ${address}; retry in ${blocked} s`);
          err.output.headers['Retry-After'] = String(blocked);
          throw err;
        }
        credentials = await tokens.verify(token);
      }
      if (!credentials) {
        failures.take(address);
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
