import type { HubConfig } from '../config/types.js';
import type { DeclarationStore } from '../declarations/declaration-store.js';
import type { Database } from '../storage/database.js';
import type { Logger } from '../util/logger.js';
import { Downlink } from './downlink.js';
import type { SwallowedErrors } from '../util/swallowed-errors.js';

/** Starts the downlink when `outbox.nats.downlink` is on: declarations and pre-arrival manifests from the centre. */
export async function startDownlink(config: HubConfig, deps: { db: Database; declarations: DeclarationStore; logger: Logger; errors?: SwallowedErrors }): Promise<Downlink | null> {
  const nats = config.outbox.nats;
  if (!nats?.downlink) return null;
  const downlink = new Downlink({
    servers: nats.servers, checkpoint: config.checkpoint.id, db: deps.db, logger: deps.logger.child({ module: 'downlink' }), ...(deps.errors ? { errors: deps.errors } : {}),
    handlers: {
      // The same checks and storage as POST /api/v1/declarations; a resend with the same number replaces it.
      declaration: async (body, apply) => { await deps.declarations.submit(body, new Date(), apply); },
    },
  });
  await downlink.start();
  return downlink;
}
