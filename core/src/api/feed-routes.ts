import type { Server } from '@hapi/hapi';
import Boom from '@hapi/boom';
import { toCloudEventJson } from '../feed/cloud-event.js';
import { feedEventStream } from '../feed/sse.js';
import type { ApiDeps } from './api-deps.js';
import { queryValidator } from './validate.js';

const FEED_SCOPE = { access: { scope: ['feed:read'] } };

/** Pull (`GET /api/v1/feed`) and push (SSE `GET /api/v1/feed/stream`) access to the feed. */
export function registerFeedRoutes(server: Server, deps: ApiDeps): void {
  const { feed } = deps.config.api;
  const checkpoint = deps.config.checkpoint.id;
  const streams = new AbortController();
  server.ext('onPreStop', () => streams.abort());

  server.route({
    method: 'GET',
    path: '/api/v1/feed',
    options: {
      auth: FEED_SCOPE,
      description: 'Feed events after a sequence number, in order (CloudEvents 1.0 JSON)',
      plugins: {
        openapi: {
          response: {
            type: 'object',
            required: ['after', 'next', 'head', 'events'],
            properties: {
              after: { type: 'integer' },
              next: { type: 'integer', description: 'pass as after for the next page' },
              head: { type: 'integer', description: 'newest sequence at the hub' },
              events: { type: 'array', items: { $ref: '#/components/schemas/CloudEvent' } },
            },
          },
        },
      },
      validate: {
        query: queryValidator({
          after: { type: 'integer', minimum: 0, default: 0, description: 'the last sequence already received' },
          limit: { type: 'integer', minimum: 1, maximum: feed.maxLimit, default: Math.min(1000, feed.maxLimit) },
        }),
      },
    },
    handler: async (request, h) => {
      const { after, limit } = request.query as { after: number; limit: number };
      const records = await deps.feed.read(after, limit);
      const next = records.length > 0 ? records[records.length - 1]!.seq : after;
      const body = `{"after":${after},"next":${next},"head":${deps.writer.sequence},"events":[${records.map((r) => toCloudEventJson(r, checkpoint)).join(',')}]}`;
      return h.response(body).type('application/json');
    },
  });

  server.route({
    method: 'GET',
    path: '/api/v1/feed/stream',
    options: {
      auth: FEED_SCOPE,
      description: 'Server-Sent Events from a sequence (Last-Event-ID header or ?after=), then live',
      plugins: {
        bearer: { queryToken: true },
        openapi: { response: { type: 'string', description: 'text/event-stream: id = feed sequence, event = CloudEvents type, data = the CloudEvent JSON' } },
      },
      timeout: { server: false, socket: false },
      validate: { query: queryValidator({ after: { type: 'integer', minimum: 0 } }) },
    },
    handler: (request, h) => {
      const header = request.headers['last-event-id'] as string | undefined;
      if (header !== undefined && !/^\d{1,15}$/.test(header))
        throw Boom.badRequest(`header 'Last-Event-ID' must be a feed sequence number, got '${header.slice(0, 40)}'`);
      const after = header !== undefined ? Number(header) : ((request.query as { after?: number }).after ?? 0);
      const closed = new AbortController();
      request.raw.res.once('close', () => closed.abort());
      const stream = feedEventStream(deps.feed, deps.writer, {
        checkpoint,
        after,
        keepAliveMs: feed.keepAliveMs,
        signal: AbortSignal.any([closed.signal, streams.signal]),
        logger: deps.logger,
      });
      return h.response(stream).type('text/event-stream').header('cache-control', 'no-cache').header('x-accel-buffering', 'no').compressed('identity');
    },
  });
}
