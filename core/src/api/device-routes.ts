import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Server } from '@hapi/hapi';
import Boom from '@hapi/boom';
import { ObservationRejectedError } from '@customs-hub/sdk';
import { directoryRawStore, rawFilePath } from '@customs-hub/sdk/runtime';
import type { ApiDeps } from './api-deps.js';
import { paramsValidator, queryValidator } from './validate.js';

const ID = { id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$' } };

/** The disk is below the critical watermark: 507 with the reason, so the sender keeps the file and retries. */
function insufficientStorage(err: unknown): unknown {
  if ((err as { code?: string }).code !== 'RAW_STORE_FULL') return err;
  const boom = new Boom.Boom((err as Error).message, { statusCode: 507 });
  boom.output.payload.error = 'Insufficient Storage';
  boom.output.headers['Retry-After'] = '60';
  return boom;
}

/** Devices with their live status, and file uploads to a device's driver (N42, DICOS). */
export function registerDeviceRoutes(server: Server, deps: ApiDeps): void {
  const rawDir = join(deps.config.dataDir, 'raw');
  const storeRaw = directoryRawStore(rawDir, { minFreeBytes: deps.config.retention.disk.criticalFreeBytes });
  const configured = (id: string) => deps.config.devices.find((d) => d.id === id);

  server.route({
    method: 'GET',
    path: '/api/v1/devices',
    options: {
      auth: { access: { scope: ['devices:read'] } },
      description: 'Every device of the checkpoint with its status',
      plugins: {
        openapi: { response: { type: 'object', properties: { devices: { type: 'array', items: { $ref: '#/components/schemas/device_status_v1' } } } } },
      },
    },
    handler: () => ({ devices: deps.devices.all }),
  });

  server.route({
    method: 'GET',
    path: '/api/v1/devices/{id}',
    options: {
      auth: { access: { scope: ['devices:read'] } },
      description: 'One device status',
      validate: { params: paramsValidator(ID) },
      plugins: { openapi: { response: { $ref: '#/components/schemas/device_status_v1' } } },
    },
    handler: (request) => {
      const status = deps.devices.status(request.params.id as string);
      if (!status) throw Boom.notFound(`no device '${request.params.id}'`);
      return status;
    },
  });

  server.route({
    method: 'POST',
    path: '/api/v1/devices/{id}/files',
    options: {
      auth: { access: { scope: ['devices:write'] } },
      description:
        "Upload a device file (body = the file); it is stored by sha256 and handed to the device driver. 507 while the hub's disk is below its critical watermark: keep the file and retry",
      plugins: {
        openapi: {
          response: {
            type: 'object',
            properties: {
              sha256: { type: 'string' },
              size: { type: 'integer' },
              observations: { type: 'integer' },
              duplicates: { type: 'integer' },
              warnings: {
                type: 'array',
                items: { type: 'string' },
                description: 'what the device read only in part (e.g. a cut-off last document); the rest was ingested',
              },
            },
          },
          status: 201,
        },
      },
      payload: { output: 'stream', parse: false, maxBytes: deps.config.api.maxUploadBytes, timeout: false },
      timeout: { server: false, socket: false },
      validate: {
        params: paramsValidator(ID),
        query: queryValidator({ name: { type: 'string', pattern: '^[^/\\\\\\u0000]{1,200}$', description: 'the original file name' } }),
      },
    },
    handler: async (request, h) => {
      const id = request.params.id as string;
      if (!configured(id)) throw Boom.notFound(`no device '${id}'`);
      const ref = await storeRaw(request.payload as Readable).catch((err) => {
        throw insufficientStorage(err);
      });
      const name = (request.query as { name?: string }).name ?? ref.sha256;
      try {
        const result = await deps.devices.acceptFile(id, { path: rawFilePath(rawDir, ref.sha256), name, sha256: ref.sha256, size: ref.size });
        return h.response({ sha256: ref.sha256, size: ref.size, ...result }).code(201);
      } catch (err) {
        if ((err as { code?: string }).code === 'INPUT_REJECTED') {
          throw Boom.badData(`file rejected by device ${id}: ${(err as { reason?: string }).reason ?? (err as Error).message}`, { sha256: ref.sha256 });
        }
        const code = (err as { code?: string }).code;
        if (code === 'FILES_NOT_ACCEPTED') throw Boom.badRequest(`${(err as Error).message}; nothing was ingested`, { sha256: ref.sha256 });
        if (err instanceof ObservationRejectedError || code === 'OBSERVATION_REJECTED') {
          const e = err as ObservationRejectedError;
          const refused = Boom.badData(`file from device ${id} gave an observation the data model refuses: ${e.reason ?? e.message}`);
          Object.assign(refused.output.payload, { sha256: ref.sha256, ...(e.deadLetterId ? { deadLetterId: e.deadLetterId } : {}) });
          throw refused;
        }
        if (/is not running/.test((err as Error).message)) throw Boom.conflict(`device ${id} is not running; the file is kept as ${ref.sha256}`);
        throw err;
      }
    },
  });
}
