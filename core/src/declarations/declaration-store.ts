import type { Knex } from 'knex';
import { completeDeclaration, declarationIdentifiers, isDeclarationV2, migrateDeclarationV1, normalizeIdentifier, SCHEMA_IDS } from '@customs-hub/sdk';
import { compileModel, createAjv, describeErrors } from '@customs-hub/sdk/runtime';
import type { Declaration, DeclarationV1, DeclarationV2Input } from '@customs-hub/sdk';
import type { Database } from '../storage/database.js';
import type { GroupCommitWriter } from '../storage/group-commit-writer.js';
import { newId } from '../pipeline/ids.js';
import { HUB_ACTOR, type Actor } from '../auth/principal.js';
import { transportProblems } from './transport-checks.js';

export const DECLARATION_EVENT = 'customs.declaration.received.v1';

/** A declaration the hub refuses, with every problem naming its field. */
export class DeclarationInvalidError extends Error {
  readonly code = 'DECLARATION_INVALID';
  constructor(readonly problems: string[]) {
    super(`invalid declaration: ${problems.join('; ')}`);
  }
}

/** A stored body: v2, or a v1 one stored before v2 existed (migrated when read). */
export function readBody(body: string): Declaration {
  const d = JSON.parse(body) as Declaration | DeclarationV1;
  return isDeclarationV2(d) ? (d as Declaration) : migrateDeclarationV1(d as DeclarationV1);
}

/** The declarations table row of a checked declaration. */
export function declarationRow(d: Declaration, checkpoint: string): Record<string, unknown> {
  return {
    number: d.number,
    checkpoint,
    received_at: d.receivedAt,
    declared_at: d.date ?? d.receivedAt,
    identifiers: ` ${declarationIdentifiers(d).join(' ')} `.slice(0, 1200),
    body: JSON.stringify(d),
  };
}

/**
 * The schema checks a date's form only: 2020-16-17 or 2021-02-29 would pass it, and Date would roll the
 * latter over to March 1st (found by the fuzz suite: such a row was rejected yet stored).
 */
function calendarProblems(date: string | undefined, path: string): string[] {
  const m = date === undefined ? null : /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(date);
  if (!m) return [];
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0] = m.slice(1, 7).map((v) => Number(v ?? 0));
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, se));
  const ok =
    t.getUTCFullYear() === y &&
    t.getUTCMonth() === mo - 1 &&
    t.getUTCDate() === d &&
    t.getUTCHours() === h &&
    t.getUTCMinutes() === mi &&
    t.getUTCSeconds() === se;
  return ok ? [] : [`${path}: '${date}' is not a calendar date and time`];
}

/** Checks a body (v2, or v1 then migrated) and returns it normalized as v2; no storage needed. */
export class DeclarationChecker {
  private readonly ajv = createAjv();
  private readonly validateV2 = compileModel<DeclarationV2Input>(this.ajv, SCHEMA_IDS.declaration);
  private readonly validateV1 = compileModel<DeclarationV1>(this.ajv, SCHEMA_IDS.declarationV1);

  /** Checks the schema (v2, or v1 then migrated), then each identifier's form and check digit; returns it normalized as v2. */
  check(body: unknown): Declaration {
    if (isDeclarationV2(body)) {
      if (!this.validateV2(body)) throw new DeclarationInvalidError([describeErrors(this.validateV2.errors)]);
      const d = completeDeclaration(body);
      const problems = [...calendarProblems(d.date, '/date'), ...transportProblems(d.transport, '/transport')];
      if (problems.length > 0) throw new DeclarationInvalidError(problems);
      return d;
    }
    if (typeof body === 'object' && body !== null && 'schema' in body) {
      throw new DeclarationInvalidError([
        `/schema: must be 'declaration/v2' (or left out for a v1 body), not ${JSON.stringify((body as { schema: unknown }).schema)}`,
      ]);
    }
    if (!this.validateV1(body)) {
      const hint = this.validateV1.errors?.some((e) => e.keyword === 'additionalProperties') ? ' (a v2 body needs "schema": "declaration/v2")' : '';
      throw new DeclarationInvalidError([describeErrors(this.validateV1.errors) + hint]);
    }
    const d = migrateDeclarationV1(body);
    d.transport.containers = d.transport.containers.map(normalizeIdentifier);
    d.transport.plates = d.transport.plates.map(normalizeIdentifier);
    // v1 field paths in its errors (/containers/0): that is what the sender wrote.
    const problems = transportProblems(d.transport, '');
    if (d.transport.containers.length === 0 && d.transport.plates.length === 0)
      problems.push('/containers: a v1 declaration needs at least one container or plate to match a conveyance (v2 accepts none, for pre-arrival assessment)');
    if (problems.length > 0) throw new DeclarationInvalidError(problems);
    return d;
  }
}

/**
 * Declarations and pre-arrival manifests from the central system. Stored through the writer (an event
 * on the feed and the row in one transaction); a resend with the same number replaces the earlier one.
 * v2 bodies say `"schema": "declaration/v2"`; any other body is read as v1 and migrated to v2.
 */
export class DeclarationStore {
  private readonly checker = new DeclarationChecker();

  constructor(
    private readonly db: Database,
    private readonly writer: GroupCommitWriter,
    private readonly checkpoint: string,
  ) {}

  check(body: unknown): Declaration {
    return this.checker.check(body);
  }

  /**
   * Stores a declaration (a resend replaces it) with its audit entry (received, or replaced with the earlier
   * one as `before`); `alsoApply` runs in the same transaction (the downlink's bookkeeping).
   */
  async submit(
    body: unknown,
    now = new Date(),
    alsoApply?: (trx: Knex.Transaction) => Promise<void>,
    by: Actor = HUB_ACTOR,
  ): Promise<{ declaration: Declaration; seq: number }> {
    const d = this.check(body);
    const prior = await this.get(d.number);
    d.receivedAt = now.toISOString();
    const row = declarationRow(d, this.checkpoint);
    const result = await this.writer.write({
      type: 'event',
      event: { id: newId(), type: DECLARATION_EVENT, subject: d.number, time: d.receivedAt, data: d },
      apply: async (trx) => {
        await trx('declarations').insert(row).onConflict(['checkpoint', 'number']).merge();
        await alsoApply?.(trx);
      },
      audit: [
        {
          actor: by,
          action: prior ? 'declaration.replaced' : 'declaration.received',
          object: { type: 'declaration', id: d.number },
          before: prior ?? undefined,
          after: d,
        },
      ],
    });
    return { declaration: d, seq: result.seq };
  }

  async get(number: string): Promise<Declaration | null> {
    const row = await this.db.knex('declarations').select('body').where({ checkpoint: this.checkpoint, number }).first();
    return row ? readBody(row.body) : null;
  }

  async list(limit: number, identifier?: string): Promise<Declaration[]> {
    const k = this.db.knex('declarations').select('body').where({ checkpoint: this.checkpoint });
    if (identifier) k.andWhere('identifiers', 'like', `% ${identifier.toUpperCase().replace(/[^A-Z0-9]/g, '')} %`);
    const rows = await k.orderBy('received_at', 'desc').limit(limit);
    return rows.map((r) => readBody(r.body));
  }

  /**
   * The newest declaration naming one of the identifiers of the first group that has a match (e.g. containers,
   * then plates); among the few newest of that group, the first that `prefer` likes (the same vessel call).
   */
  async matchAny(groups: string[][], prefer?: (d: Declaration) => boolean): Promise<Declaration | null> {
    for (const ids of groups) {
      if (ids.length === 0) continue;
      const rows = await this.db
        .knex('declarations')
        .select('body')
        .where({ checkpoint: this.checkpoint })
        .andWhere((w) => {
          for (const id of ids) w.orWhere('identifiers', 'like', `% ${id.toUpperCase().replace(/[^A-Z0-9]/g, '')} %`);
        })
        .orderBy('received_at', 'desc')
        .limit(prefer ? 5 : 1);
      const found = rows.map((r) => readBody(r.body));
      if (found[0]) return (prefer && found.find(prefer)) || found[0];
    }
    return null;
  }

  /**
   * The declaration of a conveyance: by a valid container, else an air waybill / bag tag / ULD, else a plate.
   * A box that travelled before is named by older declarations too: the one of this vessel call or flight wins.
   */
  async matchFor(containers: string[], plates: string[], items: string[] = [], call: { voyage?: string; flight?: string } = {}): Promise<Declaration | null> {
    const prefer =
      call.voyage || call.flight
        ? (d: Declaration) =>
            (call.voyage !== undefined && d.transport.vessel?.voyage === call.voyage) ||
            (call.flight !== undefined && d.transport.flight?.number === call.flight)
        : undefined;
    return this.matchAny([containers, items, plates], prefer);
  }
}
