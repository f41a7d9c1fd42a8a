import type { Server } from '@hapi/hapi';
import { loadSchemas } from '@customs-hub/sdk';

const ERROR = {
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: { statusCode: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string', description: 'what is wrong, naming the field' } },
};

const CLOUD_EVENT = {
  type: 'object',
  description: 'CloudEvents 1.0 (JSON format); data is an observation, a case or a device status, by type',
  required: ['specversion', 'id', 'source', 'type', 'subject', 'time', 'datacontenttype', 'sequence', 'data'],
  properties: {
    specversion: { const: '1.0' },
    id: { type: 'string' },
    source: { type: 'string', example: '/checkpoints/BORDER-1' },
    type: { type: 'string', example: 'customs.observation.v1' },
    subject: { type: 'string' },
    time: { type: 'string', format: 'date-time' },
    datacontenttype: { const: 'application/json' },
    sequence: { type: 'string', description: 'feed sequence, zero-padded (sequence extension)' },
    seq: { type: 'integer' },
    data: {},
  },
};

/**
 * Optional documentation a route carries in `options.plugins.openapi`. Parameter and body schemas are
 * otherwise read from the route's validate functions when they carry a `schema` (see api/validate.ts).
 */
export interface RouteDoc {
  response?: Record<string, unknown>;
  responseType?: string;
  status?: number;
  body?: Record<string, unknown>;
  bodyType?: string;
}

function parameters(schema: Record<string, unknown> | undefined, where: 'query' | 'path'): unknown[] {
  if (!schema?.properties) return [];
  const required = (schema.required as string[] | undefined) ?? [];
  return Object.entries(schema.properties as Record<string, Record<string, unknown>>)
    .filter(([name]) => name !== 'access_token')
    .map(([name, s]) => {
      const { description, ...rest } = s;
      return { name, in: where, required: where === 'path' || required.includes(name), ...(description ? { description } : {}), schema: rest };
    });
}

/**
 * The OpenAPI 3.1 document, built from the server's route table: paths, scopes and parameter schemas
 * come from the routes themselves, data-model schemas from the SDK. docs/openapi.json is this, saved.
 */
export function buildOpenApi(server: Server, version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const routes = server.table().filter((r) => r.path.startsWith('/api/') || r.path.startsWith('/health/'));
  routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  for (const r of routes) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- hapi types neither plugins.openapi nor a validator's schema: read as raw JSON
    const s = r.settings as any;
    const doc: RouteDoc = s.plugins?.openapi ?? {};
    const auth = s.auth === false ? false : (s.auth ?? {});
    const scopes: string[] = auth === false ? [] : (auth.access?.[0]?.scope?.selection ?? []);
    const op: Record<string, unknown> = {
      summary: s.description ?? '',
      parameters: [...parameters(s.validate?.params?.schema, 'path'), ...parameters(s.validate?.query?.schema, 'query')],
      security: auth === false ? [] : [{ bearer: scopes }],
      responses: {
        [doc.status ?? 200]: {
          description: 'OK',
          content: { [doc.responseType ?? (r.path.endsWith('/stream') ? 'text/event-stream' : 'application/json')]: { schema: doc.response ?? {} } },
        },
        ...(auth === false
          ? {}
          : {
              401: errorResponse('no or invalid token'),
              403: errorResponse(`the token lacks scope ${scopes.join(' or ') || '(any)'}`),
              429: errorResponse('rate limit exceeded; see Retry-After'),
            }),
        400: errorResponse('invalid parameter or body; the message names it'),
      },
      ...(scopes.length > 0 ? { 'x-scopes': scopes } : {}),
    };
    const body = doc.body ?? s.validate?.payload?.schema;
    if (body) op.requestBody = { required: true, content: { [doc.bodyType ?? 'application/json']: { schema: body } } };
    else if (s.payload?.output === 'stream')
      op.requestBody = { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } };
    const path = r.path.replace(/\{(\w+)\??\}/g, '{$1}');
    (paths[path] ??= {})[r.method] = op;
  }
  const schemas: Record<string, unknown> = { Error: ERROR, CloudEvent: CLOUD_EVENT };
  for (const schema of loadSchemas()) {
    const id = String(schema.$id ?? '');
    const name = id
      .replace(/^.*\//, '')
      .replace(/\.json$/, '')
      .replace(/[^A-Za-z0-9]+/g, '_');
    if (name) {
      const { $schema: _ignored, ...rest } = schema;
      schemas[name] = rest;
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'customs-hub checkpoint API',
      version,
      description: 'The interface to the central customs information system. See docs/central-interface.md.',
    },
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API token; scopes listed per operation in x-scopes' } }, schemas },
    paths,
  };
}

function errorResponse(description: string) {
  return { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
}

export function registerOpenApiRoute(server: Server, version: string): void {
  let cached: Record<string, unknown> | null = null;
  server.route({
    method: 'GET',
    path: '/api/v1/openapi.json',
    options: { description: 'This document (any valid token)' },
    handler: () => (cached ??= buildOpenApi(server, version)),
  });
}
