import { compileModel, containerCheckDigit, createAjv, describeErrors, isValidContainerNumber, normalizeContainerNumber, SCHEMA_IDS } from '@customs-hub/sdk';
import type { Declaration } from '@customs-hub/sdk';
import type { Database } from '../storage/database.js';
import type { GroupCommitWriter } from '../storage/group-commit-writer.js';
import { newId } from '../pipeline/ids.js';
import { HUB_ACTOR, type Actor } from '../auth/principal.js';

export const DECLARATION_EVENT = 'customs.declaration.received.v1';

/** A declaration the hub refuses, with every problem naming its field. */
export class DeclarationInvalidError extends Error {
  readonly code = 'DECLARATION_INVALID';
  constructor(readonly problems: string[]) { super(`invalid declaration: ${problems.join('; ')}`); }
}

/**
 * Declarations and pre-arrival manifests from the central system. Stored through the writer (an event
 * on the feed and the row in one transaction); a resend with the same number replaces the earlier one.
 */
export class DeclarationStore {
  private readonly validate = compileModel<Declaration>(createAjv(), SCHEMA_IDS.declaration);

  constructor(private readonly db: Database, private readonly writer: GroupCommitWriter, private readonly checkpoint: string) {}

  /** Checks the schema, then each container number's ISO 6346 form and check digit; returns it normalized. */
  check(body: unknown): Declaration {
    if (!this.validate(body)) throw new DeclarationInvalidError([describeErrors(this.validate.errors)]);
    const d = structuredClone(body);
    const problems: string[] = [];
    d.containers = d.containers.map((raw, i) => {
      const n = normalizeContainerNumber(raw);
      if (!/^[A-Z]{3}[UJZ]\d{7}$/.test(n)) problems.push(`/containers/${i}: '${raw}' is not an ISO 6346 container number (4 letters ending U, J or Z, then 7 digits)`);
      else if (!isValidContainerNumber(n)) problems.push(`/containers/${i}: '${raw}' fails the ISO 6346 check digit (expected ${containerCheckDigit(n.slice(0, 10))})`);
      return n;
    });
    if (d.plates) d.plates = d.plates.map((p) => p.toUpperCase().replace(/\s+/g, ''));
    if (d.containers.length === 0 && (d.plates ?? []).length === 0) problems.push('/containers: a declaration needs at least one container or plate to match a conveyance');
    if (problems.length > 0) throw new DeclarationInvalidError(problems);
    return d;
  }

  /** Stores a declaration with its audit entry (received, or replaced with the earlier one as `before`). */
  async submit(body: unknown, by: Actor = HUB_ACTOR, now = new Date()): Promise<{ declaration: Declaration; seq: number }> {
    const d = this.check(body);
    const prior = await this.get(d.number);
    d.receivedAt = now.toISOString();
    const ids = [...d.containers, ...(d.plates ?? [])];
    const row = { number: d.number, checkpoint: this.checkpoint, received_at: d.receivedAt, identifiers: ` ${ids.join(' ')} `.slice(0, 1200), body: JSON.stringify(d) };
    const result = await this.writer.write({
      type: 'event',
      event: { id: newId(), type: DECLARATION_EVENT, subject: d.number, time: d.receivedAt, data: d },
      apply: async (trx) => { await trx('declarations').insert(row).onConflict(['checkpoint', 'number']).merge(); },
      audit: [{ actor: by, action: prior ? 'declaration.replaced' : 'declaration.received', object: { type: 'declaration', id: d.number }, before: prior ?? undefined, after: d }],
    });
    return { declaration: d, seq: result.seq };
  }

  async get(number: string): Promise<Declaration | null> {
    const row = await this.db.knex('declarations').select('body').where({ checkpoint: this.checkpoint, number }).first();
    return row ? (JSON.parse(row.body) as Declaration) : null;
  }

  async list(limit: number, identifier?: string): Promise<Declaration[]> {
    const k = this.db.knex('declarations').select('body').where({ checkpoint: this.checkpoint });
    if (identifier) k.andWhere('identifiers', 'like', `% ${identifier.toUpperCase().replace(/[^A-Z0-9]/g, '')} %`);
    const rows = await k.orderBy('received_at', 'desc').limit(limit);
    return rows.map((r) => JSON.parse(r.body) as Declaration);
  }

  /** The newest declaration naming one of the containers, else one of the plates. */
  async matchFor(containers: string[], plates: string[]): Promise<Declaration | null> {
    for (const ids of [containers, plates]) {
      if (ids.length === 0) continue;
      const rows = await this.db.knex('declarations').select('body').where({ checkpoint: this.checkpoint })
        .andWhere((w) => { for (const id of ids) w.orWhere('identifiers', 'like', `% ${id.replace(/[^A-Za-z0-9]/g, '')} %`); })
        .orderBy('received_at', 'desc').limit(1);
      if (rows[0]) return JSON.parse(rows[0].body) as Declaration;
    }
    return null;
  }
}
