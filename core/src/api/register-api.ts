import type { Server } from '@hapi/hapi';
import { registerBearerAuth } from '../auth/bearer-scheme.js';
import { RateLimiter } from '../auth/rate-limiter.js';
import { TokenStore } from '../auth/token-store.js';
import type { ApiDeps } from './api-deps.js';
import { registerConfigRoutes } from './config-routes.js';
import { registerDeviceRoutes } from './device-routes.js';
import { registerFeedCursorRoutes } from './feed-cursor-routes.js';
import { registerFeedRoutes } from './feed-routes.js';
import { registerObservationRoutes } from './observation-routes.js';
import { registerOpenApiRoute } from './openapi.js';
import { registerRawRoutes } from './raw-routes.js';

export const API_VERSION = '1.0.0';

/**
 * Registers the `bearer` auth scheme as the default strategy and the core API routes under /api/v1.
 * Other modules add their routes after this with their own register…Routes(server, deps).
 */
export function registerApi(server: Server, deps: ApiDeps): { tokens: TokenStore } {
  const tokens = new TokenStore(deps.db, deps.config.checkpoint.id);
  registerBearerAuth(server, tokens, new RateLimiter(deps.config.api.rateLimit), deps.auth ?? {}, new RateLimiter(deps.config.api.failedAuthLimit));
  registerFeedRoutes(server, deps);
  registerFeedCursorRoutes(server, deps);
  registerObservationRoutes(server, deps);
  registerDeviceRoutes(server, deps);
  registerRawRoutes(server, deps);
  registerConfigRoutes(server, deps);
  registerOpenApiRoute(server, API_VERSION);
  return { tokens };
}
