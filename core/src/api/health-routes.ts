import type { Server } from '@hapi/hapi';

export interface Readiness { ready(): Promise<{ ok: boolean; checks: Record<string, string> }> }

/** The only routes that answer without a token. */
export function registerHealthRoutes(server: Server, readiness: Readiness): void {
  server.route({
    method: 'GET', path: '/health/live', options: { auth: false },
    handler: () => ({ status: 'live' }),
  });
  server.route({
    method: 'GET', path: '/health/ready', options: { auth: false },
    handler: async (_req, h) => {
      const r = await readiness.ready();
      return h.response({ status: r.ok ? 'ready' : 'not ready', checks: r.checks }).code(r.ok ? 200 : 503);
    },
  });
}
