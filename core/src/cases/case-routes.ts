import Boom from '@hapi/boom';
import type { Request, Server } from '@hapi/hapi';
import type { InspectionCase } from '@customs-hub/sdk';
import { DeclarationInvalidError, type DeclarationStore } from '../declarations/declaration-store.js';
import { outcomesReport } from '../scoring/outcomes-report.js';
import { CaseNotFoundError, CaseStateError } from './case-events.js';
import type { CaseService } from './case-service.js';
import type { CaseStore } from './case-store.js';
import { CASE_ID, doc, ref, validator } from './route-input.js';

export interface CaseRouteDeps {
  cases: CaseService;
  store: CaseStore;
  declarations: DeclarationStore;
  /** The live policy's yellow threshold: a scorer "flags" a case at this score. */
  flagScore: number;
}

const scope = (...s: string[]) => ({ auth: { access: { scope: s } } });
const idParams = validator('path parameter', { required: ['id'], properties: { id: CASE_ID } });

function who(req: Request): string {
  return String((req.auth.credentials as { name?: string } | null)?.name ?? 'unknown');
}

/** Service errors become HTTP answers here, at the edge. */
function toBoom(err: unknown): never {
  if (err instanceof CaseNotFoundError) throw Boom.notFound(err.message);
  if (err instanceof CaseStateError) throw Boom.conflict(err.message);
  if (err instanceof DeclarationInvalidError) throw Boom.badRequest(err.message, { problems: err.problems });
  throw err;
}

/** Declarations in, cases and outcomes out. Every route needs a token with the named scope. */
export function registerCaseRoutes(server: Server, deps: CaseRouteDeps): void {
  server.route({
    method: 'POST', path: '/api/v1/declarations',
    options: {
      ...scope('declarations:write'), description: 'Receive a declaration or pre-arrival manifest, v2 ("schema": "declaration/v2") or v1 (migrated to v2); a resend with the same number replaces it',
      plugins: { openapi: { body: { oneOf: [{ $ref: '#/components/schemas/declaration_v2' }, { $ref: '#/components/schemas/declaration_v1' }] }, response: { type: 'object', properties: { declaration: ref('declaration_v2'), seq: { type: 'integer' } } } } },
    },
    handler: async (req, h) => {
      try {
        const { declaration, seq } = await deps.declarations.submit(req.payload);
        return h.response({ declaration, seq }).code(201);
      } catch (err) { return toBoom(err); }
    },
  });
  server.route({
    method: 'GET', path: '/api/v1/declarations',
    options: { ...scope('cases:read'), ...doc({ type: 'object', properties: { declarations: { type: 'array', items: ref('declaration_v2') } } }, 'Declarations, newest first, optionally naming a container or plate'), validate: { query: validator('query parameter', { properties: {
      identifier: { type: 'string', maxLength: 20 }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, access_token: { type: 'string' },
    } }) } },
    handler: async (req) => {
      const q = req.query as { identifier?: string; limit: number };
      return { declarations: await deps.declarations.list(q.limit, q.identifier) };
    },
  });
  server.route({
    method: 'GET', path: '/api/v1/declarations/{number}', options: { ...scope('cases:read'), ...doc(ref('declaration_v2'), 'One declaration by number (URL-encode slashes)'),
      validate: { params: validator('path parameter', { required: ['number'], properties: { number: { type: 'string', minLength: 1, maxLength: 64 } } }) } },
    handler: async (req) => (await deps.declarations.get(String(req.params.number))) ?? Boom.notFound(`declaration ${String(req.params.number)} not found`),
  });
  server.route({
    method: 'GET', path: '/api/v1/cases',
    options: { ...scope('cases:read'), ...doc({ type: 'object', properties: { cases: { type: 'array', items: ref('inspection_case_v1') }, next: { type: ['string', 'null'] } } }, 'Inspection cases, newest first, by channel, state and lane'), validate: { query: validator('query parameter', { properties: {
      channel: { enum: ['green', 'yellow', 'red'] },
      state: { enum: ['open', 'closed', 'scored', 'referred', 'inspected', 'released'] },
      lane: { type: 'string', maxLength: 64 },
      after: CASE_ID,
      limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
      access_token: { type: 'string' },
    } }) } },
    handler: async (req) => {
      const cases = await deps.store.list(req.query as never);
      return { cases, next: cases.length > 0 ? cases[cases.length - 1]!.id : null };
    },
  });
  server.route({
    method: 'GET', path: '/api/v1/cases/{id}',
    options: { ...scope('cases:read'), ...doc({ type: 'object', properties: { case: ref('inspection_case_v1'), reasons: { type: 'array' }, observations: { type: 'array', items: ref('observation_v1') } } }, 'One case with its observations and every reason, strongest first'), validate: { params: idParams } },
    handler: async (req) => {
      const c = await deps.store.get(String(req.params.id));
      if (!c) throw Boom.notFound(`case ${String(req.params.id)} not found`);
      return { case: c, reasons: reasonsOf(c), observations: await deps.store.observations(c.observationIds) };
    },
  });
  server.route({
    method: 'POST', path: '/api/v1/cases/{id}/referral',
    options: { ...scope('cases:write'), ...doc({ type: 'object', properties: { case: ref('inspection_case_v1') } }, 'Refer a case for inspection'), validate: { params: idParams, payload: validator('referral', {
      required: ['reason'], properties: { reason: { type: 'string', minLength: 1, maxLength: 1000 } },
    }) } },
    handler: async (req) => {
      try {
        return { case: await deps.cases.refer(String(req.params.id), (req.payload as { reason: string }).reason, who(req)) };
      } catch (err) { return toBoom(err); }
    },
  });
  server.route({
    method: 'POST', path: '/api/v1/cases/{id}/outcome',
    options: { ...scope('cases:write'), ...doc({ type: 'object', properties: { case: ref('inspection_case_v1') } }, 'Record the inspection result: no violation releases the case'), validate: { params: idParams, payload: validator('outcome', {
      required: ['violation'],
      properties: {
        violation: { type: 'boolean' }, findings: { type: 'string', maxLength: 4000 },
        officer: { type: 'string', maxLength: 200 }, release: { type: 'boolean' },
      },
    }) } },
    handler: async (req) => {
      const body = req.payload as { violation: boolean; findings?: string; officer?: string; release?: boolean };
      try {
        return { case: await deps.cases.recordOutcome(String(req.params.id), { ...body, officer: body.officer ?? who(req) }) };
      } catch (err) { return toBoom(err); }
    },
  });
  server.route({
    method: 'GET', path: '/api/v1/reports/outcomes',
    options: { ...scope('cases:read'), ...doc({ type: 'object', description: 'OutcomesReport: referral rate, hit rate and share of violations flagged per policy and scorer' }, 'Selectivity report per policy (live and shadow) and per scorer'), validate: { query: validator('query parameter', { properties: {
      since: { type: 'string', format: 'date-time' }, access_token: { type: 'string' },
    } }) } },
    handler: async (req) => outcomesReport(await deps.store.scored((req.query as { since?: string }).since), deps.flagScore),
  });
}

/** Every reason behind the channel, strongest first, with the scorer that gave it. */
export function reasonsOf(c: InspectionCase): Array<{ scorer: string; code: string; score: number; reason: string }> {
  const live = (c.risk?.contributions ?? []).map(({ scorer, code, score, reason }) => ({ scorer, code, score, reason }));
  const skipped = (c.risk?.skipped ?? []).map((s) => ({ scorer: s.scorer, code: 'scorer.skipped', score: 0, reason: `not scored by ${s.scorer}: ${s.reason}` }));
  return [...live.sort((a, b) => b.score - a.score), ...skipped];
}
