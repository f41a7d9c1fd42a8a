import type { Server } from '@hapi/hapi';
import { queryValidator } from '../api/validate.js';
import type { Database } from '../storage/database.js';
import type { AuditLog } from './audit-log.js';
import { verifyAudit } from './audit-verify.js';

const ENTRY = {
  type: 'object',
  description: 'AuditEntry',
  properties: {
    seq: { type: 'integer' },
    id: { type: 'string' },
    at: { type: 'string', format: 'date-time' },
    actor: { type: 'object', properties: { subject: { type: 'string' }, role: { type: 'string' }, client: { type: 'string' }, source: { type: 'string' } } },
    action: { type: 'string', example: 'case.outcome' },
    object: { type: 'object', properties: { type: { type: 'string' }, id: { type: 'string' } } },
    before: {},
    after: {},
    details: {},
    prevHash: { type: 'string' },
    hash: { type: 'string' },
  },
};

/** The audit log, read-only, for the auditor role (`audit:read`). */
export function registerAuditRoutes(server: Server, audit: AuditLog, db: Database, trustedKeys: () => string[]): void {
  server.route({
    method: 'GET',
    path: '/api/v1/audit',
    options: {
      auth: { access: { scope: ['audit:read'] } },
      description: 'Audit log entries in chain order: who did what to which object, when, from where, before and after',
      plugins: {
        openapi: {
          response: {
            type: 'object',
            properties: { entries: { type: 'array', items: ENTRY }, next: { type: ['integer', 'null'], description: 'pass as after= for the next page' } },
          },
        },
      },
      validate: {
        query: queryValidator({
          from: { type: 'string', format: 'date-time', description: 'entries at or after this time' },
          to: { type: 'string', format: 'date-time', description: 'entries before this time' },
          after: { type: 'integer', minimum: 0, description: 'entries after this audit sequence number' },
          object_type: { type: 'string', maxLength: 40 },
          object_id: { type: 'string', maxLength: 200 },
          subject: { type: 'string', maxLength: 200 },
          action: { type: 'string', maxLength: 60 },
          limit: { type: 'integer', minimum: 1, maximum: 5000, default: 500 },
        }),
      },
    },
    handler: async (req) => {
      const q = req.query as {
        from?: string;
        to?: string;
        after?: number;
        object_type?: string;
        object_id?: string;
        subject?: string;
        action?: string;
        limit: number;
      };
      const entries = await audit.list({
        limit: q.limit,
        ...(q.from ? { from: q.from } : {}),
        ...(q.to ? { to: q.to } : {}),
        ...(q.after !== undefined ? { after: q.after } : {}),
        ...(q.object_type ? { objectType: q.object_type } : {}),
        ...(q.object_id ? { objectId: q.object_id } : {}),
        ...(q.subject ? { subject: q.subject } : {}),
        ...(q.action ? { action: q.action } : {}),
      });
      return { entries, next: entries.length === q.limit ? entries[entries.length - 1]!.seq : null };
    },
  });
  server.route({
    method: 'GET',
    path: '/api/v1/audit/verify',
    options: {
      auth: { access: { scope: ['audit:read'] } },
      description: 'Walks the hash chain and the signed checkpoints; names the first entry that does not match',
      plugins: {
        openapi: {
          response: {
            type: 'object',
            properties: { ok: { type: 'boolean' }, entries: { type: 'integer' }, checkpoints: { type: 'integer' }, head: {}, problem: {} },
          },
        },
      },
      validate: { query: queryValidator({}) },
    },
    handler: () => verifyAudit(db, audit.checkpoint, { trustedKeys: trustedKeys() }),
  });
}
