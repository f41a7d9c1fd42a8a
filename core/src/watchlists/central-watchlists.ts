import { createHash } from 'node:crypto';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { Knex } from 'knex';
import type { CentralListEntry, CentralWatchlists } from '@customs-hub/sdk';
import type { Actor } from '../auth/principal.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Database } from '../storage/database.js';

/** What the centre sends on `down.<checkpoint>.watchlist`: a whole snapshot, replacing the previous one. */
export interface WatchlistMessage {
  version: number;
  issuedAt?: string;
  lists: Record<string, Array<string | CentralListEntry>>;
}

const entry = {
  oneOf: [
    { type: 'string', minLength: 1, maxLength: 500 },
    {
      type: 'object',
      additionalProperties: false,
      required: ['value'],
      properties: {
        value: { type: 'string', minLength: 1, maxLength: 500 },
        score: { type: 'number', minimum: 0, maximum: 100 },
        note: { type: 'string', maxLength: 2000 },
      },
    },
  ],
};

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'lists'],
  properties: {
    version: { type: 'integer', minimum: 1 },
    issuedAt: { type: 'string', format: 'date-time' },
    lists: {
      type: 'object',
      maxProperties: 50,
      propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_-]{0,63}$' },
      additionalProperties: { type: 'array', maxItems: 100_000, items: entry },
    },
  },
};

const validate = addFormats(new Ajv({ allErrors: true, strict: false })).compile<WatchlistMessage>(schema);

export class WatchlistRefusedError extends Error {
  readonly code = 'WATCHLIST_REFUSED';
}

/** The lists with every entry in object form; the hash is over that, so the same content gives the same hash. */
function normalize(m: WatchlistMessage): { lists: Record<string, CentralListEntry[]>; sha256: string } {
  const lists: Record<string, CentralListEntry[]> = {};
  for (const name of Object.keys(m.lists).sort()) lists[name] = (m.lists[name] ?? []).map((e) => (typeof e === 'string' ? { value: e } : e));
  return { lists, sha256: createHash('sha256').update(JSON.stringify(lists)).digest('hex') };
}

/**
 * The watchlists the central system maintains, as this checkpoint last received them. Each message is a whole
 * snapshot with a version; an older or equal version than the one applied is refused (a resend or a reordering
 * upstream), so the lists only move forward. They are stored with the hub's data and read at start, so scoring
 * uses them while the link to the centre is down.
 */
export class CentralWatchlistStore {
  private current: CentralWatchlists | null = null;

  constructor(
    private readonly db: Database,
    private readonly checkpoint: string,
  ) {}

  get lists(): CentralWatchlists | null {
    return this.current;
  }

  async load(): Promise<CentralWatchlists | null> {
    const row = await this.db.knex('central_watchlists').where({ checkpoint: this.checkpoint }).first();
    this.current = row ? { version: Number(row.version), sha256: row.sha256, lists: JSON.parse(row.lists) } : null;
    return this.current;
  }

  /** Checks and stores a snapshot, with an audit entry, in one transaction with `alsoApply` (the downlink's record). */
  async apply(body: unknown, audit: AuditLog, by: Actor, alsoApply?: (trx: Knex.Transaction) => Promise<void>, now = new Date()): Promise<CentralWatchlists> {
    if (!validate(body)) {
      const problems = (validate.errors ?? [])
        .slice(0, 5)
        .map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`)
        .join('; ');
      throw new WatchlistRefusedError(`watchlist refused: ${problems}`);
    }
    const prior = this.current;
    if (prior && body.version <= prior.version)
      throw new WatchlistRefusedError(`watchlist version ${body.version} is not newer than the applied version ${prior.version}`);
    const { lists, sha256 } = normalize(body);
    const next: CentralWatchlists = { version: body.version, sha256, lists };
    const counts = Object.fromEntries(Object.entries(lists).map(([k, v]) => [k, v.length]));
    await audit.record(
      {
        actor: by,
        action: 'watchlist.received',
        object: { type: 'watchlist', id: 'central' },
        before: prior ? { version: prior.version, sha256: prior.sha256 } : undefined,
        after: { version: next.version, sha256, entries: counts },
        details: body.issuedAt ? { issuedAt: body.issuedAt } : undefined,
      },
      async (trx) => {
        await trx('central_watchlists')
          .insert({
            checkpoint: this.checkpoint,
            version: next.version,
            sha256,
            lists: JSON.stringify(lists),
            issued_at: body.issuedAt ?? null,
            applied_at: now.toISOString(),
          })
          .onConflict('checkpoint')
          .merge();
        await alsoApply?.(trx);
      },
    );
    this.current = next;
    return next;
  }
}
