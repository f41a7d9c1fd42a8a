import type { Server } from '@hapi/hapi';

/** `degraded`: reasons the hub works but needs attention (disk low); it stays ready. */
export interface Readiness {
  ready(): Promise<{ ok: boolean; checks: Record<string, string>; degraded?: string[] }>;
}

/** The only routes that answer without a token. */
export function registerHealthRoutes(server: Server, readiness: Readiness): void {
  server.route({
    method: 'GET',
    path: '/health/live',
    options: { auth: false },
    handler: () => ({ status: 'live' }),
  });
  server.route({
    method: 'GET',
    path: '/health/ready',
    options: { auth: false },
    handler: async (_req, h) => {
      const r = await readiness.ready();
      const degraded = r.degraded ?? [];
      const status = !r.ok ? 'not ready' : degraded.length > 0 ? 'degraded' : 'ready';
      return h.response({ status, checks: r.checks, ...(degraded.length > 0 ? { degraded } : {}) }).code(r.ok ? 200 : 503);
    },
  });
}
