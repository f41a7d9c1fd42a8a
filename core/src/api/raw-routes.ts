import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Server } from '@hapi/hapi';
import Boom from '@hapi/boom';
import { rawFilePath } from '@customs-hub/sdk/runtime';
import type { ApiDeps } from './api-deps.js';
import { paramsValidator } from './validate.js';

/** Raw device files (images, N42 documents) by content hash, streamed. Only 64 hex digits reach the file system. */
export function registerRawRoutes(server: Server, deps: ApiDeps): void {
  const rawDir = join(deps.config.dataDir, 'raw');
  server.route({
    method: 'GET',
    path: '/api/v1/raw/{sha256}',
    options: {
      auth: { access: { scope: ['observations:read', 'feed:read'] } },
      description: 'A raw file by its sha256 (referenced from observations), streamed',
      plugins: { openapi: { response: { type: 'string', format: 'binary' }, responseType: 'application/octet-stream' } },
      validate: { params: paramsValidator({ sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' } }) },
    },
    handler: async (request, h) => {
      const sha = request.params.sha256 as string;
      const path = rawFilePath(rawDir, sha);
      const info = await stat(path).catch(() => null);
      if (!info?.isFile()) throw Boom.notFound(`no raw file ${sha}`);
      return h.response(createReadStream(path)).type('application/octet-stream').bytes(info.size).etag(sha);
    },
  });
}
