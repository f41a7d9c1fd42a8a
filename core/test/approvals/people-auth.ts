import Boom from '@hapi/boom';
import type Hapi from '@hapi/hapi';
import { ROLE_SCOPES } from '../../src/auth/roles.js';

/** "Bearer <subject>:<role>" signs in as that person with the role's scopes. */
export function testAuth(server: Hapi.Server): void {
  server.auth.scheme('people', () => ({
    authenticate: (req, h) => {
      const m = /^Bearer ([\w-]+):(officer|supervisor)$/.exec(String(req.headers.authorization ?? ''));
      if (!m) throw Boom.unauthorized('token required', 'Bearer');
      const role = m[2] as 'officer' | 'supervisor';
      return h.authenticated({ credentials: { subject: m[1], name: m[1], role, client: `token:${m[1]}`, scope: ROLE_SCOPES[role] } });
    },
  }));
  server.auth.strategy('people', 'people');
  server.auth.default('people');
}

export const as = (who: string, role: 'officer' | 'supervisor') => ({ authorization: `Bearer ${who}:${role}` });
