import Boom from '@hapi/boom';
import type { Server } from '@hapi/hapi';
import type { Declaration, InspectionCase } from '@customs-hub/sdk';
import { DeclarationInvalidError, type DeclarationStore } from '../declarations/declaration-store.js';
import { outcomesReport } from '../scoring/outcomes-report.js';
import { CaseNotFoundError, CaseStateError } from './case-events.js';
import type { CaseService } from './case-service.js';
import type { CaseStore } from './case-store.js';
import { CASE_ID, doc, ref, validator } from './route-input.js';
import { actorOf } from '../auth/principal.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { FourEyes } from '../approvals/four-eyes.js';

export interface CaseRouteDeps {
  cases: CaseService;
  store: CaseStore;
  declarations: DeclarationStore;
  /** The live policy's yellow threshold: a scorer "flags" a case at this score. */
  flagScore: number;
  audit: AuditLog;
  fourEyes: FourEyes;
  /** Pre-arrival risk of a declaration alone. */
  scoreDeclaration?: (d: Declaration) => Promise<unknown>;
  /** Records a declaration's inspection outcome (the learned model's label). */
  recordDeclarationOutcome?: (number: string, o: { violation: boolean; critical: boolean }) => Promise<void>;
}

const AUDIT_ENTRY = {
  type: 'object',
  description: 'AuditEntry: seq, at, actor {subject, role, client, source}, action, object {type, id}, before, after, details, prevHash, hash',
};

const scope = (...s: string[]) => ({ auth: { access: { scope: s } } });
const idParams = validator('path parameter', { required: ['id'], properties: { id: CASE_ID } });

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
    method: 'POST',
    path: '/api/v1/declarations',
    options: {
      ...scope('declarations:write'),
      description:
        'Receive a declaration or pre-arrival manifest, v2 ("schema": "declaration/v2") or v1 (migrated to v2); a resend with the same number replaces it',
      plugins: {
        openapi: {
          body: { oneOf: [{ $ref: '#/components/schemas/declaration_v2' }, { $ref: '#/components/schemas/declaration_v1' }] },
          response: { type: 'object', properties: { declaration: ref('declaration_v2'), seq: { type: 'integer' } } },
        },
      },
    },
    handler: async (req, h) => {
      try {
        const { declaration, seq } = await deps.declarations.submit(req.payload, new Date(), undefined, actorOf(req));
        return h.response({ declaration, seq }).code(201);
      } catch (err) {
        return toBoom(err);
      }
    },
  });
  server.route({
    method: 'GET',
    path: '/api/v1/declarations',
    options: {
      ...scope('cases:read'),
      ...doc(
        { type: 'object', properties: { declarations: { type: 'array', items: ref('declaration_v2') } } },
        'Declarations, newest first, optionally naming a container or plate',
      ),
      validate: {
        query: validator('query parameter', {
          properties: {
            identifier: { type: 'string', maxLength: 20 },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            access_token: { type: 'string' },
          },
        }),
      },
    },
    handler: async (req) => {
      const q = req.query as { identifier?: string; limit: number };
      return { declarations: await deps.declarations.list(q.limit, q.identifier) };
    },
  });
  server.route({
    method: 'GET',
    path: '/api/v1/declarations/{number}',
    options: {
      ...scope('cases:read'),
      ...doc(ref('declaration_v2'), 'One declaration by number (URL-encode slashes)'),
      validate: { params: validator('path parameter', { required: ['number'], properties: { number: { type: 'string', minLength: 1, maxLength: 64 } } }) },
    },
    handler: async (req) => (await deps.declarations.get(String(req.params.number))) ?? Boom.notFound(`declaration ${String(req.params.number)} not found`),
  });
  const numberParams = validator('path parameter', { required: ['number'], properties: { number: { type: 'string', minLength: 1, maxLength: 64 } } });
  server.route({
    method: 'GET',
    path: '/api/v1/declarations/{number}/risk',
    options: {
      ...scope('cases:read'),
      ...doc(
        { type: 'object', properties: { number: { type: 'string' }, score: { type: 'number' }, contributions: { type: 'array' }, skipped: { type: 'array' } } },
        'Pre-arrival risk of a declaration alone, by every scorer that can judge one (the learned model among them), with reasons',
      ),
      validate: { params: numberParams },
    },
    handler: async (req) => {
      const number = String(req.params.number);
      const d = await deps.declarations.get(number);
      if (!d) return Boom.notFound(`declaration ${number} not found`);
      return { number, ...(deps.scoreDeclaration ? ((await deps.scoreDeclaration(d)) as object) : { score: 0, contributions: [], skipped: [] }) };
    },
  });
  server.route({
    method: 'POST',
    path: '/api/v1/declarations/{number}/outcome',
    options: {
      ...scope('cases:write'),
      ...doc(
        { type: 'object', properties: { number: { type: 'string' }, violation: { type: 'boolean' }, critical: { type: 'boolean' } } },
        'Record the result of inspecting a declaration (documentary or physical) without a case: a label for the learned model',
      ),
      validate: {
        params: numberParams,
        payload: validator('outcome', {
          required: ['violation'],
          properties: { violation: { type: 'boolean' }, critical: { type: 'boolean' } },
        }),
      },
    },
    handler: async (req, h) => {
      const number = String(req.params.number);
      if (!(await deps.declarations.get(number))) return Boom.notFound(`declaration ${number} not found`);
      const body = req.payload as { violation: boolean; critical?: boolean };
      const o = { violation: body.violation || body.critical === true, critical: body.critical === true };
      await deps.recordDeclarationOutcome?.(number, o);
      return h.response({ number, ...o }).code(201);
    },
  });
  server.route({
    method: 'GET',
    path: '/api/v1/cases',
    options: {
      ...scope('cases:read'),
      ...doc(
        { type: 'object', properties: { cases: { type: 'array', items: ref('inspection_case_v1') }, next: { type: ['string', 'null'] } } },
        'Inspection cases, newest first, by channel, state and lane',
      ),
      validate: {
        query: validator('query parameter', {
          properties: {
            channel: { enum: ['green', 'yellow', 'red'] },
            state: { enum: ['open', 'closed', 'scored', 'referred', 'inspected', 'released'] },
            lane: { type: 'string', maxLength: 64 },
            after: CASE_ID,
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            access_token: { type: 'string' },
          },
        }),
      },
    },
    handler: async (req) => {
      const cases = await deps.store.list(req.query as never);
      return { cases, next: cases.length > 0 ? cases[cases.length - 1]!.id : null };
    },
  });
  server.route({
    method: 'GET',
    path: '/api/v1/cases/{id}',
    options: {
      ...scope('cases:read'),
      ...doc(
        {
          type: 'object',
          properties: { case: ref('inspection_case_v1'), reasons: { type: 'array' }, observations: { type: 'array', items: ref('observation_v1') } },
        },
        'One case with its observations and every reason, strongest first',
      ),
      validate: { params: idParams },
    },
    handler: async (req) => {
      const c = await deps.store.get(String(req.params.id));
      if (!c) throw Boom.notFound(`case ${String(req.params.id)} not found`);
      return { case: c, reasons: reasonsOf(c), observations: await deps.store.observations(c.observationIds) };
    },
  });
  server.route({
    method: 'POST',
    path: '/api/v1/cases/{id}/referral',
    options: {
      ...scope('cases:write'),
      ...doc({ type: 'object', properties: { case: ref('inspection_case_v1') } }, 'Refer a case for inspection'),
      validate: {
        params: idParams,
        payload: validator('referral', {
          required: ['reason'],
          properties: { reason: { type: 'string', minLength: 1, maxLength: 1000 } },
        }),
      },
    },
    handler: async (req) => {
      try {
        return { case: await deps.cases.refer(String(req.params.id), (req.payload as { reason: string }).reason, actorOf(req)) };
      } catch (err) {
        return toBoom(err);
      }
    },
  });
  server.route({
    method: 'POST',
    path: '/api/v1/cases/{id}/outcome',
    options: {
      ...scope('cases:write'),
      ...doc(
        {
          type: 'object',
          properties: {
            case: ref('inspection_case_v1'),
            approval: { type: 'object', description: 'when the release of a red case waits for a supervisor (four-eyes)' },
          },
        },
        'Record the inspection result as the signed-in officer: no violation releases the case (a red one after a supervisor approves)',
      ),
      validate: {
        params: idParams,
        payload: validator('outcome', {
          required: ['violation'],
          properties: {
            violation: { type: 'boolean' },
            findings: { type: 'string', maxLength: 4000 },
            officer: { type: 'string', maxLength: 200, description: 'deprecated: the officer is the credential; any other name is refused' },
            release: { type: 'boolean' },
          },
        }),
      },
    },
    handler: async (req) => {
      const { officer, ...body } = req.payload as { violation: boolean; findings?: string; officer?: string; release?: boolean };
      const actor = actorOf(req);
      if (officer !== undefined && officer !== actor.subject)
        throw Boom.badRequest(
          `officer: the outcome is recorded as ${actor.subject}, who is signed in; a request cannot name another officer ('${officer.slice(0, 60)}')`,
        );
      try {
        const { approval, ...c } = await deps.cases.recordOutcome(String(req.params.id), body, actor);
        return { case: c, ...(approval ? { approval } : {}) };
      } catch (err) {
        return toBoom(err);
      }
    },
  });
  server.route({
    method: 'POST',
    path: '/api/v1/cases/{id}/release',
    options: {
      ...scope('cases:write'),
      ...doc(
        { type: 'object', properties: { case: ref('inspection_case_v1'), approval: { type: 'object' } } },
        'Release a case; a red one is released once a second person with the supervisor role approves (the answer carries the pending approval)',
      ),
      validate: { params: idParams },
    },
    handler: async (req, h) => {
      try {
        const { approval, ...c } = await deps.cases.release(String(req.params.id), actorOf(req));
        return h.response({ case: c, ...(approval ? { approval } : {}) }).code(approval ? 202 : 200);
      } catch (err) {
        return toBoom(err);
      }
    },
  });
  server.route({
    method: 'GET',
    path: '/api/v1/cases/{id}/history',
    options: {
      ...scope('cases:read'),
      ...doc(
        { type: 'object', properties: { entries: { type: 'array', items: AUDIT_ENTRY }, approvals: { type: 'array' } } },
        "The case's audit history (who referred, inspected, released it, from where) and its four-eyes approvals",
      ),
      validate: { params: idParams },
    },
    handler: async (req) => {
      const id = String(req.params.id);
      if (!(await deps.store.get(id))) throw Boom.notFound(`case ${id} not found`);
      return { entries: await deps.audit.history('case', id), approvals: await deps.fourEyes.list({ objectType: 'case', objectId: id }) };
    },
  });
  server.route({
    method: 'GET',
    path: '/api/v1/reports/outcomes',
    options: {
      ...scope('cases:read'),
      ...doc(
        { type: 'object', description: 'OutcomesReport: referral rate, hit rate and share of violations flagged per policy and scorer' },
        'Selectivity report per policy (live and shadow) and per scorer',
      ),
      validate: {
        query: validator('query parameter', {
          properties: {
            since: { type: 'string', format: 'date-time' },
            access_token: { type: 'string' },
          },
        }),
      },
    },
    handler: async (req) => outcomesReport(await deps.store.scored((req.query as { since?: string }).since), deps.flagScore),
  });
}

/** Every reason behind the channel, strongest first, with the scorer that gave it. */
export function reasonsOf(c: InspectionCase): Array<{ scorer: string; code: string; score: number; reason: string }> {
  const live = (c.risk?.contributions ?? []).map(({ scorer, code, score, reason }) => ({ scorer, code, score, reason }));
  const skipped = (c.risk?.skipped ?? []).map((s) => ({
    scorer: s.scorer,
    code: 'scorer.skipped',
    score: 0,
    reason: `not scored by ${s.scorer}: ${s.reason}`,
  }));
  return [...live.sort((a, b) => b.score - a.score), ...skipped];
}
