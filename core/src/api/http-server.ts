import Hapi from '@hapi/hapi';
import type { HubConfig } from '../config/types.js';

/** The hub's HTTP server. Routes are added by the API modules; nothing is public but health. */
export function createHttpServer(config: HubConfig): Hapi.Server {
  return Hapi.server({
    host: config.http.host,
    port: config.http.port,
    routes: { payload: { maxBytes: 1024 * 1024 }, timeout: { server: 30_000 } },
    router: { stripTrailingSlash: true },
  });
}
