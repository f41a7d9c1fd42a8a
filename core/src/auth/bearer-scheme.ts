import Boom from '@hapi/boom';
import type { Server } from '@hapi/hapi';
import type { RateLimiter } from './rate-limiter.js';
import type { TokenStore } from './token-store.js';

/**
 * The `bearer` auth scheme, set as the server's default strategy: every route needs a valid token unless it
 * says `auth: false` (health only). Routes declare scopes with `auth: { access: { scope: [...] } }`.
 * Tokens come from `Authorization: Bearer …`, or `?access_token=` for EventSource clients that cannot set headers.
 */
export function registerBearerAuth(server: Server, tokens: TokenStore, limiter: RateLimiter): void {
  server.auth.scheme('bearer', () => ({
    authenticate: async (request, h) => {
      const header = request.headers.authorization as string | undefined;
      let token: string | undefined;
      if (header !== undefined) {
        const m = /^Bearer\s+(\S+)$/i.exec(header);
        if (!m) throw Boom.unauthorized('the Authorization header must be "Bearer <token>"', 'Bearer');
        token = m[1];
      } else if (typeof request.query.access_token === 'string') {
        token = request.query.access_token;
      }
      if (!token) throw Boom.unauthorized(null, 'Bearer');
      const credentials = await tokens.verify(token);
      if (!credentials) throw Boom.unauthorized('invalid or revoked token', 'Bearer');
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
