import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../storage/database.js';
import { BoundedCache } from './bounded-cache.js';
import { newId } from '../pipeline/ids.js';
import { effectiveScopes, type Scope } from './scopes.js';

/** What a route handler sees of the caller (`request.auth.credentials`). */
export interface TokenCredentials { tokenId: string; name: string; scope: string[] }

export interface TokenInfo { id: string; name: string; scopes: string[]; createdAt: string; revokedAt: string | null }

/** Tokens look like `chub_<43 base64url chars>`: 256 random bits, recognizable in a leaked-secret scan. */
const PREFIX = 'chub_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * API tokens, stored as sha256 hashes (a high-entropy token needs no slow hash). Verified and rejected hashes
 * are cached briefly (revocation elsewhere takes effect within cacheMs), each in a bounded cache of its own, so
 * a flood of made-up tokens neither grows memory nor pushes the real tokens out. Lookups use the read connections.
 */
export class TokenStore {
  private readonly verified: BoundedCache<TokenCredentials>;
  private readonly rejected: BoundedCache<true>;
  /** Database lookups done by verify(), for tests and metrics. */
  lookups = 0;

  constructor(private readonly db: Database, cacheMs = 5000, private readonly now = Date.now, limits = { verified: 1000, rejected: 10_000 }) {
    this.verified = new BoundedCache(limits.verified, cacheMs, now);
    this.rejected = new BoundedCache(limits.rejected, cacheMs, now);
  }

  /** Entries in the two caches (bounded by the limits). */
  cacheSizes(): { verified: number; rejected: number } { return { verified: this.verified.size, rejected: this.rejected.size }; }

  /** A token this process verified within cacheMs: answered from memory, no lookup. */
  cached(token: string): TokenCredentials | null {
    return this.verified.get(hashToken(token)) ?? null;
  }

  async create(name: string, scopes: Scope[]): Promise<{ id: string; token: string }> {
    if (!/^[\w .@:-]{1,100}$/.test(name)) throw new Error(`token name '${name}' must be 1-100 letters, digits, spaces or . _ @ : -`);
    const id = newId();
    const token = PREFIX + randomBytes(32).toString('base64url');
    await this.db.knex('api_tokens').insert({
      id, name, hash: hashToken(token), scopes: JSON.stringify(scopes), created_at: new Date(this.now()).toISOString(), revoked_at: null,
    });
    return { id, token };
  }

  async list(): Promise<TokenInfo[]> {
    const rows = await this.db.knex('api_tokens').select('id', 'name', 'scopes', 'created_at', 'revoked_at').orderBy('created_at');
    return rows.map((r) => ({ id: r.id, name: r.name, scopes: JSON.parse(r.scopes), createdAt: r.created_at, revokedAt: r.revoked_at }));
  }

  /** Revokes a token by id; false when no active token has that id. */
  async revoke(id: string): Promise<boolean> {
    const n = await this.db.knex('api_tokens').where({ id }).whereNull('revoked_at').update({ revoked_at: new Date(this.now()).toISOString() });
    this.verified.clear();
    return Number(n) > 0;
  }

  async verify(token: string): Promise<TokenCredentials | null> {
    if (!token.startsWith(PREFIX) || token.length > 200) return null;
    const hash = hashToken(token);
    const known = this.verified.get(hash);
    if (known) return known;
    if (this.rejected.get(hash)) return null;
    this.lookups++;
    const row = await this.db.reader('api_tokens').select('id', 'name', 'scopes').where({ hash }).whereNull('revoked_at').first();
    if (!row) { this.rejected.set(hash, true); return null; }
    const credentials = { tokenId: row.id as string, name: row.name as string, scope: effectiveScopes(JSON.parse(row.scopes)) };
    this.verified.set(hash, credentials);
    return credentials;
  }
}
