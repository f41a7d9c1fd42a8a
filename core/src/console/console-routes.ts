import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Request, ResponseObject, ResponseToolkit, Server } from '@hapi/hapi';
import Boom from '@hapi/boom';
import Inert from '@hapi/inert';

/** Where `npm run build:console` puts the bundle (core/console/dist), seen from core/dist/src/console. */
export const CONSOLE_DIST = join(__dirname, '..', '..', '..', 'console', 'dist');

// The page loads only its own bundle; data comes from the API with the officer's token.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/**
 * The operations console: static files, public like any login page (they hold no data);
 * every data call the page makes needs a token.
 */
export async function registerConsoleRoutes(server: Server, dist = CONSOLE_DIST): Promise<void> {
  await server.register(Inert, { once: true });
  const built = existsSync(join(dist, 'index.html'));
  const notBuilt = (_req: Request, h: ResponseToolkit) =>
    h.response('The console is not built: run `npm run build:console -w @customs-hub/core`.\n').type('text/plain').code(503);
  server.route({
    method: 'GET',
    path: '/',
    options: { auth: false },
    handler: (_req, h) => h.redirect('/console'),
  });
  server.route({
    method: 'GET',
    path: '/console',
    options: { auth: false },
    handler: built ? (_req, h) => h.file(join(dist, 'index.html'), { confine: false }) : notBuilt,
  });
  // Source maps stay on disk for whoever debugs on the machine; served, they would publish the source.
  server.route({
    method: 'GET',
    path: '/console/{file*}',
    options: { auth: false },
    handler: built
      ? (req, h) => {
          const file = String(req.params.file ?? '');
          if (file === '' || file.endsWith('.map')) throw Boom.notFound();
          return h.file(join(dist, file), { confine: dist });
        }
      : notBuilt,
  });
  server.ext('onPreResponse', (req, h) => {
    const r = req.response;
    if ((req.path === '/console' || req.path.startsWith('/console/')) && r && !('isBoom' in r && r.isBoom)) {
      (r as ResponseObject)
        .header('content-security-policy', CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-cache');
    }
    return h.continue;
  });
}
