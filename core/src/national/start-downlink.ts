import type { Actor } from '../auth/principal.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { HubConfig } from '../config/types.js';
import type { DeclarationStore } from '../declarations/declaration-store.js';
import { applyCentralModel } from '../risk-model/central-model.js';
import { ModelStore } from '../risk-model/model-store.js';
import type { DeclarationRiskService } from '../risk-model/risk-service.js';
import type { Database } from '../storage/database.js';
import type { Logger } from '../util/logger.js';
import type { CentralWatchlistStore } from '../watchlists/central-watchlists.js';
import { Downlink, type DownlinkHandler } from './downlink.js';
import { edgeDownStream } from './nats-names.js';
import type { SwallowedErrors } from '../util/swallowed-errors.js';

export interface DownlinkDeps {
  db: Database;
  declarations: DeclarationStore;
  audit: AuditLog;
  risk: DeclarationRiskService;
  watchlists: CentralWatchlistStore;
  logger: Logger;
  errors?: SwallowedErrors;
}

/** The central system as the audit log names it: what it sends is applied as its action, not the hub's. */
export const centralActor = (checkpoint: string): Actor => ({
  subject: 'central',
  role: 'system',
  client: `nats:${edgeDownStream(checkpoint)}`,
  source: 'downlink',
});

/** What the hub applies from the downlink, by message type (the last subject token). */
export function downlinkHandlers(
  checkpoint: string,
  deps: Omit<DownlinkDeps, 'logger' | 'errors'>,
  models: 'live' | 'shadow',
): Record<string, DownlinkHandler> {
  const by = centralActor(checkpoint);
  const store = new ModelStore(deps.db, checkpoint);
  return {
    // The same checks and storage as POST /api/v1/declarations; a resend with the same number replaces it.
    declaration: async (body, apply) => {
      await deps.declarations.submit(body, new Date(), apply, by);
    },
    // A whole snapshot of the central watchlists; scoring uses it from the next case on.
    watchlist: async (body, apply) => {
      await deps.watchlists.apply(body, deps.audit, by, apply);
    },
    // A released risk model: stored, made live (or kept in shadow), and the risk service reads it again.
    model: async (body, apply) => {
      await applyCentralModel(body, { store, audit: deps.audit, by, mode: models }, apply);
      await deps.risk.reload();
    },
  };
}

/** Starts the downlink when `outbox.nats.downlink` is on: declarations, watchlists and released models from the centre. */
export async function startDownlink(config: HubConfig, deps: DownlinkDeps): Promise<Downlink | null> {
  const nats = config.outbox.nats;
  if (!nats?.downlink) return null;
  const downlink = new Downlink({
    servers: nats.servers,
    checkpoint: config.checkpoint.id,
    db: deps.db,
    logger: deps.logger.child({ module: 'downlink' }),
    ...(deps.errors ? { errors: deps.errors } : {}),
    handlers: downlinkHandlers(config.checkpoint.id, deps, nats.downlinkModels ?? 'live'),
  });
  await downlink.start();
  return downlink;
}
