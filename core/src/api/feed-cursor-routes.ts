import type { Server } from '@hapi/hapi';
import Boom from '@hapi/boom';
import Ajv from 'ajv';
import type { ApiDeps } from './api-deps.js';
import { paramsValidator, payloadValidator } from './validate.js';

const CONSUMER = { consumer: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' } };
const cursorBody = new Ajv({ strict: false }).compile<{ seq: number }>({
  type: 'object',
  additionalProperties: false,
  required: ['seq'],
  properties: { seq: { type: 'integer', minimum: 0, description: 'the last feed sequence the consumer stored durably' } },
});

/**
 * Feed consumers' acknowledgements: a consumer named in `retention.consumers` saves how far it durably
 * stored the feed; retention deletes nothing on the feed past the lowest of these (and the outbox's).
 */
export function registerFeedCursorRoutes(server: Server, deps: ApiDeps): void {
  const checkpoint = deps.config.checkpoint.id;
  const known = (name: string) => (deps.currentConfig?.() ?? deps.config).retention.consumers.includes(name);

  server.route({
    method: 'PUT',
    path: '/api/v1/feed/cursors/{consumer}',
    options: {
      auth: { access: { scope: ['feed:read'] } },
      description: 'Acknowledge the feed up to a sequence for a consumer named in retention.consumers; retention keeps everything after it',
      plugins: { openapi: { response: { type: 'object', properties: { consumer: { type: 'string' }, seq: { type: 'integer' }, head: { type: 'integer' } } } } },
      validate: { params: paramsValidator(CONSUMER), payload: payloadValidator(cursorBody, 'cursor') },
    },
    handler: async (request) => {
      const consumer = request.params.consumer as string;
      const { seq } = request.payload as { seq: number };
      if (!known(consumer)) throw Boom.notFound(`'${consumer}' is not a feed consumer of this hub (retention.consumers in the config)`);
      const head = deps.writer.sequence;
      if (seq > head) throw Boom.badRequest(`seq ${seq} is beyond the feed head ${head}`);
      const at = new Date().toISOString();
      await deps.writer.write({
        type: 'maintenance',
        what: `feed cursor ${consumer}`,
        apply: async (trx) => {
          await trx('feed_cursors').insert({ checkpoint, consumer, acked_seq: seq, updated_at: at }).onConflict(['checkpoint', 'consumer']).merge();
        },
      });
      return { consumer, seq, head };
    },
  });

  server.route({
    method: 'GET',
    path: '/api/v1/feed/cursors/{consumer}',
    options: {
      auth: { access: { scope: ['feed:read'] } },
      description: 'How far a consumer acknowledged the feed (resume from here)',
      plugins: {
        openapi: {
          response: { type: 'object', properties: { consumer: { type: 'string' }, seq: { type: 'integer' }, updatedAt: { type: 'string', nullable: true } } },
        },
      },
      validate: { params: paramsValidator(CONSUMER) },
    },
    handler: async (request) => {
      const consumer = request.params.consumer as string;
      if (!known(consumer)) throw Boom.notFound(`'${consumer}' is not a feed consumer of this hub (retention.consumers in the config)`);
      const row = await deps.db.knex('feed_cursors').where({ checkpoint, consumer }).first();
      return { consumer, seq: Number(row?.acked_seq ?? 0), updatedAt: row?.updated_at ?? null };
    },
  });
}
