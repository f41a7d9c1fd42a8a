import { readFileSync } from 'node:fs';
import Hapi from '@hapi/hapi';
import type { HubConfig } from '../config/types.js';
import { guardClientErrors } from './client-errors.js';

/** Node's limit on the request line and headers together. */
const MAX_HEADER_BYTES = 16 * 1024;

/** The hub's HTTP server (HTTPS when `api.tls` is set). Routes are added by the API modules; nothing is public but health. */
export function createHttpServer(config: HubConfig): Hapi.Server {
  const { api } = config;
  const mtls = config.security.mtls;
  if (mtls && !api.tls) throw new Error('security.mtls needs api.tls (client certificates are part of the TLS handshake)');
  const tls = api.tls
    ? {
        cert: readFileSync(api.tls.cert),
        key: readFileSync(api.tls.key),
        // Client certificates: asked for, checked against the CA; without `required` a token still does.
        ...(mtls ? { ca: readFileSync(mtls.caFile), requestCert: true, rejectUnauthorized: mtls.required } : {}),
      }
    : undefined;
  const server = Hapi.server({
    host: config.http.host,
    port: config.http.port,
    ...(tls ? { tls } : {}),
    routes: {
      payload: { maxBytes: api.maxPayloadBytes },
      timeout: { server: 30_000 },
      // Our validators throw Boom errors that name the field; hapi's default would hide the message.
      validate: {
        failAction: async (_request, _h, err) => {
          throw err;
        },
      },
    },
    router: { stripTrailingSlash: true },
  });
  guardClientErrors(server, { bodyIdleMs: api.bodyIdleTimeoutMs, maxHeaderBytes: MAX_HEADER_BYTES });
  return server;
}
