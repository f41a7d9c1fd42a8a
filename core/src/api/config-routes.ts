import type { Server } from '@hapi/hapi';
import type { HubConfig } from '../config/types.js';
import { redactUrl } from '../storage/database.js';
import type { ApiDeps } from './api-deps.js';

const SECRET_KEY = /pass|secret|token|key|credential/i;

/** Config values whose key looks like a secret are replaced, at any depth. */
function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) && typeof v !== 'object' ? '[redacted]' : redact(v)]));
  }
  return value;
}

/** The checkpoint configuration the hub runs, read-only, without secrets. */
export function publicConfig(config: HubConfig): Record<string, unknown> {
  return {
    checkpoint: config.checkpoint,
    lanes: config.lanes,
    devices: config.devices.map((d) => ({ id: d.id, plugin: d.plugin, name: d.name, lane: d.lane, adminState: d.adminState, config: redact(d.config) })),
    storage: { url: redactUrl(config.storage.url).replace(/^sqlite:.*/, 'sqlite') },
    scoring: redact(config.scoring),
    outbox: redact(config.outbox),
  };
}

export function registerConfigRoutes(server: Server, deps: ApiDeps): void {
  server.route({
    method: 'GET',
    path: '/api/v1/config',
    options: { auth: { access: { scope: ['config:read'] } }, description: 'The running checkpoint configuration (secrets redacted)' },
    handler: () => publicConfig(deps.currentConfig?.() ?? deps.config),
  });
}
