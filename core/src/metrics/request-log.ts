import type { Request, Server } from '@hapi/hapi';
import type { Logger } from '../util/logger.js';
import type { HubMetrics } from './hub-metrics.js';

/**
 * One structured line per API call that changes something (who did what to which case), per failed
 * call, and per call at debug level; plus request metrics by route pattern. Never the query string
 * (it may carry `access_token`) nor any header: the caller is named by its token's name.
 */
export function registerRequestLog(server: Server, logger: Logger, metrics: HubMetrics): void {
  const log = logger.child({ component: 'http' });
  server.events.on('response', (request: Request) => {
    const status = statusOf(request);
    const route = request.route.path;
    const seconds = (Date.now() - request.info.received) / 1000;
    metrics.httpRequest(request.method.toUpperCase(), route, status, seconds);
    if (route === '/health/live' || route === '/health/ready' || route === '/metrics') return;
    const credentials = request.auth.credentials as { name?: string } | null;
    const line: Record<string, unknown> = { method: request.method.toUpperCase(), route, status, ms: Math.round(seconds * 1000) };
    if (credentials?.name) line.caller = credentials.name;
    if (route.startsWith('/api/v1/cases/') && typeof request.params.id === 'string') line.case = request.params.id;
    if (route.startsWith('/api/v1/devices/') && typeof request.params.id === 'string') line.device = request.params.id;
    if (status >= 500) log.error(line, 'request failed');
    else if (request.method !== 'get' && request.method !== 'head') log.info(line, status < 400 ? 'request' : 'request refused');
    else log.debug(line, 'request');
  });
}

function statusOf(request: Request): number {
  const r = request.response as { statusCode?: number; output?: { statusCode: number } } | null;
  return r?.output?.statusCode ?? r?.statusCode ?? 0;
}
