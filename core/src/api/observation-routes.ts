import type { Server } from '@hapi/hapi';
import Boom from '@hapi/boom';
import type { ApiDeps } from './api-deps.js';
import { paramsValidator, queryValidator } from './validate.js';

const READ = { access: { scope: ['observations:read'] } };
const NAME = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$' };
const UUID = { type: 'string', pattern: '^[0-9a-fA-F-]{36}$' };

/** The list's query as its validator leaves it (types coerced, defaults in). */
interface ObservationQuery {
  lane?: string;
  device?: string;
  kind?: string;
  from?: string;
  to?: string;
  conveyance?: string;
  alarm?: boolean;
  after: number;
  limit: number;
}

/** Stored observations, filtered; pages by feed sequence (`after`), oldest first. */
export function registerObservationRoutes(server: Server, deps: ApiDeps): void {
  const checkpoint = deps.config.checkpoint.id;

  server.route({
    method: 'GET',
    path: '/api/v1/observations',
    options: {
      auth: READ,
      description: 'Observations by lane, device, kind, device time and conveyance (container or plate)',
      plugins: {
        openapi: {
          response: {
            type: 'object',
            properties: { next: { type: 'integer' }, observations: { type: 'array', items: { $ref: '#/components/schemas/observation_v1' } } },
          },
        },
      },
      validate: {
        query: queryValidator({
          lane: NAME,
          device: NAME,
          kind: { type: 'string', pattern: '^[a-z][a-z0-9.-]{0,39}$' },
          from: { type: 'string', format: 'date-time' },
          to: { type: 'string', format: 'date-time' },
          conveyance: { type: 'string', pattern: '^[A-Za-z0-9-]{1,20}$', description: 'a container number or plate' },
          alarm: { type: 'boolean' },
          after: { type: 'integer', minimum: 0, default: 0 },
          limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
        }),
      },
    },
    handler: async (request, h) => {
      const q = request.query as unknown as ObservationQuery;
      // Every value goes in as a bound parameter; the LIKE pattern is built from a validated identifier.
      const query = deps.db.reader('observations').select('seq', 'body').where({ checkpoint }).andWhere('seq', '>', q.after).orderBy('seq').limit(q.limit);
      if (q.lane) query.andWhere({ lane: q.lane });
      if (q.device) query.andWhere({ device_id: q.device });
      if (q.kind) query.andWhere({ kind: q.kind });
      if (q.from) query.andWhere('device_time', '>=', new Date(q.from).toISOString());
      if (q.to) query.andWhere('device_time', '<', new Date(q.to).toISOString());
      if (q.conveyance) query.andWhere('identifiers', 'like', `% ${q.conveyance.toUpperCase()} %`);
      if (q.alarm !== undefined) query.andWhere({ alarm: q.alarm });
      const rows = await query;
      const next = rows.length > 0 ? Number(rows[rows.length - 1].seq) : q.after;
      return h.response(`{"next":${next},"observations":[${rows.map((r) => r.body).join(',')}]}`).type('application/json');
    },
  });

  server.route({
    method: 'GET',
    path: '/api/v1/observations/{id}',
    options: {
      auth: READ,
      description: 'One observation by id',
      validate: { params: paramsValidator({ id: UUID }) },
      plugins: { openapi: { response: { $ref: '#/components/schemas/observation_v1' } } },
    },
    handler: async (request, h) => {
      const row = await deps.db.reader('observations').select('body').where({ checkpoint, id: request.params.id }).first();
      if (!row) throw Boom.notFound(`no observation ${request.params.id}`);
      return h.response(row.body).type('application/json');
    },
  });
}
