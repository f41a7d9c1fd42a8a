import Boom from '@hapi/boom';
import type { Server } from '@hapi/hapi';
import { actorOf } from '../auth/principal.js';
import { PolicyRefusedError, publicPolicy, type PolicyChanges } from './policy-change.js';
import type { ScoringStage } from './scoring-stage.js';

const POLICY = {
  type: 'object',
  description: 'Policy: name, combine, thresholds {yellow, red}, weights, forceRed, randomRate, randomChannel, capacity (never the random secret)',
};

/** The live scoring policy: read by officers, changed by a supervisor (and approved by a second one, with four-eyes). */
export function registerPolicyRoutes(server: Server, stage: ScoringStage, changes: PolicyChanges): void {
  server.route({
    method: 'GET',
    path: '/api/v1/scoring/policy',
    options: {
      auth: { access: { scope: ['cases:read'] } },
      description: 'The live scoring policy',
      plugins: { openapi: { response: { type: 'object', properties: { policy: POLICY } } } },
    },
    handler: () => ({ policy: publicPolicy(stage.policy) }),
  });
  server.route({
    method: 'PUT',
    path: '/api/v1/scoring/policy',
    options: {
      auth: { access: { scope: ['cases:approve'] } },
      description:
        "Change the live scoring policy (the whole policy; the random secret stays the config's). With security.fourEyes.scoringPolicy (the default) this files a request a second supervisor approves: 202 with the approval",
      plugins: { openapi: { body: POLICY, response: { type: 'object', properties: { policy: POLICY, approval: { type: 'object' } } } } },
      payload: { maxBytes: 64 * 1024 },
    },
    handler: async (req, h) => {
      const reason = typeof req.query.reason === 'string' ? req.query.reason.slice(0, 1000) : undefined;
      try {
        const r = await changes.request(req.payload, actorOf(req), reason);
        return 'approval' in r ? h.response(r).code(202) : r;
      } catch (err) {
        if (err instanceof PolicyRefusedError) throw Boom.badRequest(err.message);
        throw err;
      }
    },
  });
}
