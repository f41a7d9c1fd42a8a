import { createHash, randomBytes } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import type { Knex } from 'knex';
import type { Database } from '../storage/database.js';
import { BoundedCache } from './bounded-cache.js';
import { writeTransaction } from '../storage/write-transaction.js';
import { newId } from '../pipeline/ids.js';
import { appendAudit } from '../audit/audit-chain.js';
import type { Actor } from './principal.js';
import type { Role } from './roles.js';
import { effectiveScopes, type Scope } from './scopes.js';

/** What a route handler sees of the caller (`request.auth.credentials`): the token's name is the subject. */
export interface TokenCredentials {
  tokenId: string;
  name: string;
  scope: string[];
  subject: string;
  role: Role;
  client: string;
}

export interface TokenInfo {
  id: string;
  name: string;
  role: Role;
  scopes: string[];
  createdAt: string;
  revokedAt: string | null;
}

/** Who creates and revokes tokens from the command line, for the audit log. */
export function cliActor(): Actor {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    /* no passwd entry (containers) */
  }
  return { subject: user, role: 'local-admin', client: 'cli', source: `cli@${hostname()}` };
}

/** Tokens look like `chub_<43 base64url chars>`: 256 random bits, recognizable in a leaked-secret scan. */
const PREFIX = 'chub_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * API tokens, stored as sha256 hashes (a high-entropy token needs no slow hash). Verified and rejected hashes
 * are cached briefly (revocation elsewhere takes effect within cacheMs), each in a bounded cache of its own, so
 * a flood of made-up tokens neither grows memory nor pushes the real tokens out. Lookups use the read connections.
 * With a checkpoint, creating and revoking is recorded in its audit log in the same transaction.
 */
export class TokenStore {
  private readonly verified: BoundedCache<TokenCredentials>;
  private readonly rejected: BoundedCache<true>;
  /** Database lookups done by verify(), for tests and metrics. */
  lookups = 0;

  constructor(
    private readonly db: Database,
    private readonly checkpoint: string | null = null,
    cacheMs = 5000,
    private readonly now = Date.now,
    limits = { verified: 1000, rejected: 10_000 },
  ) {
    this.verified = new BoundedCache(limits.verified, cacheMs, now);
    this.rejected = new BoundedCache(limits.rejected, cacheMs, now);
  }

  /** Entries in the two caches (bounded by the limits). */
  cacheSizes(): { verified: number; rejected: number } {
    return { verified: this.verified.size, rejected: this.rejected.size };
  }

  /** A token this process verified within cacheMs: answered from memory, no lookup. */
  cached(token: string): TokenCredentials | null {
    return this.verified.get(hashToken(token)) ?? null;
  }

  /** A person's token carries their role's scopes; a machine's (`role` machine, the default) the scopes given. */
  async create(name: string, scopes: Scope[], options: { role?: Role; actor?: Actor } = {}): Promise<{ id: string; token: string }> {
    if (!/^[\w .@:-]{1,100}$/.test(name)) throw new Error(`token name '${name}' must be 1-100 letters, digits, spaces or . _ @ : -`);
    const id = newId();
    const token = PREFIX + randomBytes(32).toString('base64url');
    const role = options.role ?? 'machine';
    const createdAt = new Date(this.now()).toISOString();
    await writeTransaction(this.db, async (trx) => {
      await trx('api_tokens').insert({ id, name, role, hash: hashToken(token), scopes: JSON.stringify(scopes), created_at: createdAt, revoked_at: null });
      await this.audit(trx, options.actor, 'token.created', id, null, { name, role, scopes });
    });
    return { id, token };
  }

  async list(): Promise<TokenInfo[]> {
    const rows = await this.db.knex('api_tokens').select('id', 'name', 'role', 'scopes', 'created_at', 'revoked_at').orderBy('created_at');
    return rows.map((r) => ({ id: r.id, name: r.name, role: r.role, scopes: JSON.parse(r.scopes), createdAt: r.created_at, revokedAt: r.revoked_at }));
  }

  /** Revokes a token by id; false when no active token has that id. */
  async revoke(id: string, actor?: Actor): Promise<boolean> {
    const n = await writeTransaction(this.db, async (trx) => {
      const row = await trx('api_tokens').select('name', 'role').where({ id }).whereNull('revoked_at').first();
      if (!row) return 0;
      const revokedAt = new Date(this.now()).toISOString();
      await trx('api_tokens').where({ id }).update({ revoked_at: revokedAt });
      await this.audit(trx, actor, 'token.revoked', id, { name: row.name, role: row.role, revokedAt: null }, { name: row.name, role: row.role, revokedAt });
      return 1;
    });
    this.verified.clear();
    return n > 0;
  }

  private async audit(trx: Knex.Transaction, actor: Actor | undefined, action: string, id: string, before: unknown, after: unknown): Promise<void> {
    if (!this.checkpoint) return;
    await appendAudit(trx, this.db.dialect, this.checkpoint, [{ actor: actor ?? cliActor(), action, object: { type: 'token', id }, before, after }]);
  }

  async verify(token: string): Promise<TokenCredentials | null> {
    if (!token.startsWith(PREFIX) || token.length > 200) return null;
    const hash = hashToken(token);
    const known = this.verified.get(hash);
    if (known) return known;
    if (this.rejected.get(hash)) return null;
    this.lookups++;
    const row = await this.db.reader('api_tokens').select('id', 'name', 'role', 'scopes').where({ hash }).whereNull('revoked_at').first();
    if (!row) {
      this.rejected.set(hash, true);
      return null;
    }
    const credentials: TokenCredentials = {
      tokenId: row.id,
      name: row.name,
      subject: row.name,
      role: row.role as Role,
      client: `token:${row.id}`,
      scope: effectiveScopes(JSON.parse(row.scopes)),
    };
    this.verified.set(hash, credentials);
    return credentials;
  }
}
