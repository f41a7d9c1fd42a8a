import type { Server } from '@hapi/hapi';
import type { Logger } from '../util/logger.js';
import type { HubMetrics } from './hub-metrics.js';

/** Scopes that may scrape: a Prometheus job gets a token with metrics:read; admins may look too. */
export const METRICS_SCOPES = ['metrics:read', 'admin'];

/**
 * GET /metrics in Prometheus text format, behind the API's bearer tokens. Prometheus sends the token
 * itself (`authorization: { credentials_file: … }` in the scrape config). Without a token scheme on the
 * server the route is not served at all: nothing but health answers without a token.
 */
export function registerMetricsRoutes(server: Server, metrics: HubMetrics, logger: Logger): boolean {
  if (!server.auth.settings.default) {
    logger.warn('no token authentication is configured on the HTTP server; /metrics is not served');
    return false;
  }
  server.route({
    method: 'GET',
    path: '/metrics',
    options: { auth: { access: { scope: METRICS_SCOPES } } },
    handler: async (_req, h) => h.response(await metrics.metrics()).type(metrics.contentType),
  });
  return true;
}
