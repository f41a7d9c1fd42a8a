import type { Knex } from 'knex';
import type { Database } from '../storage/database.js';
import { MODEL_KIND, parseArtefact, serializeArtefact, type RiskModelArtefact, type StoredModel } from './artefact.js';

/** A model's id: a prefix of its artefact's hash. */
export const modelId = (sha256: string): string => `m-${sha256.slice(0, 12)}`;

export class ModelNotFoundError extends Error {
  readonly code = 'MODEL_NOT_FOUND';
}

/**
 * Model artefacts in the hub's database. A new model is stored in shadow; promoting one makes it live and
 * retires the model that was live; at most one is live per checkpoint.
 */
export class ModelStore {
  constructor(
    private readonly db: Database,
    private readonly checkpoint: string,
  ) {}

  async save(a: RiskModelArtefact, now = new Date()): Promise<StoredModel> {
    const { text, sha256 } = serializeArtefact(a);
    const id = modelId(sha256);
    // Only "not there" means save it; a failing database is the caller's to know.
    const existing = await this.get(id).catch((err) => {
      if (err instanceof ModelNotFoundError) return null;
      throw err;
    });
    if (existing) return existing;
    await this.db.knex('risk_models').insert(this.row(a, text, sha256, now));
    return (await this.get(id))!;
  }

  /**
   * Stores a model that came as its artefact text and hash (from the centre), in the caller's transaction, and
   * makes it live when asked (the live one is retired). Nothing is stored if the text does not match the hash.
   */
  async receiveIn(
    trx: Knex.Transaction,
    text: string,
    sha256: string,
    live: boolean,
    now = new Date(),
  ): Promise<{ id: string; existed: boolean; retired: string | null }> {
    const a = parseArtefact(text, sha256);
    const id = modelId(sha256);
    const existed = (await trx('risk_models').where({ id }).first()) !== undefined;
    if (!existed) await trx('risk_models').insert(this.row(a, text, sha256, now));
    if (!live) return { id, existed, retired: null };
    return { id, existed, retired: await this.promoteIn(trx, id, now) };
  }

  /** Makes a model live in the caller's transaction, retiring the live one; returns the retired model's id. */
  async promoteIn(trx: Knex.Transaction, id: string, now = new Date()): Promise<string | null> {
    const prior = await trx('risk_models').select('id').where({ checkpoint: this.checkpoint, kind: MODEL_KIND, status: 'live' }).whereNot({ id }).first();
    await trx('risk_models')
      .where({ checkpoint: this.checkpoint, kind: MODEL_KIND, status: 'live' })
      .whereNot({ id })
      .update({ status: 'retired', retired_at: now.toISOString() });
    await trx('risk_models').where({ id }).update({ status: 'live', promoted_at: now.toISOString(), retired_at: null });
    return prior?.id ?? null;
  }

  /** A new model's row, in shadow; the id is a prefix of the artefact's hash. */
  private row(a: RiskModelArtefact, text: string, sha256: string, now: Date): Record<string, unknown> {
    const summary = { features: a.features, window: a.window, holdout: a.holdout, trainingSeconds: a.trainingSeconds, trees: a.gbdt.trees.length };
    return {
      id: modelId(sha256),
      checkpoint: this.checkpoint,
      kind: MODEL_KIND,
      status: 'shadow',
      sha256,
      created_at: now.toISOString(),
      trained_from: a.window.from,
      trained_until: a.window.until,
      rows: a.window.rows,
      summary: JSON.stringify(summary),
      artefact: text,
    };
  }

  async list(): Promise<Array<Omit<StoredModel, 'artefact'> & { summary: Record<string, unknown> }>> {
    const rows = await this.db
      .knex('risk_models')
      .select('id', 'sha256', 'status', 'created_at', 'promoted_at', 'retired_at', 'summary')
      .where({ checkpoint: this.checkpoint, kind: MODEL_KIND })
      .orderBy('created_at', 'desc');
    return rows.map((r) => ({
      id: r.id,
      sha256: r.sha256,
      status: r.status,
      createdAt: r.created_at,
      promotedAt: r.promoted_at,
      retiredAt: r.retired_at,
      summary: JSON.parse(r.summary),
    }));
  }

  async get(id: string): Promise<StoredModel> {
    const r = await this.db.knex('risk_models').where({ checkpoint: this.checkpoint, kind: MODEL_KIND }).andWhere('id', 'like', `${id}%`).limit(2);
    if (r.length !== 1) throw new ModelNotFoundError(r.length === 0 ? `no model ${id}` : `model id ${id} is ambiguous: give more of it`);
    return toStored(r[0]);
  }

  /** A model's artefact exactly as stored, with its hash: what `model export` sends to checkpoints. */
  async exportText(id: string): Promise<{ id: string; sha256: string; text: string }> {
    const m = await this.get(id);
    const row = await this.db.knex('risk_models').select('artefact').where({ id: m.id }).first();
    return { id: m.id, sha256: m.sha256, text: String(row?.artefact) };
  }

  /** The live model, and the newest shadow one. */
  async active(): Promise<{ live: StoredModel | null; shadow: StoredModel | null }> {
    const rows = await this.db
      .knex('risk_models')
      .where({ checkpoint: this.checkpoint, kind: MODEL_KIND })
      .whereIn('status', ['live', 'shadow'])
      .orderBy('created_at', 'desc');
    const live = rows.find((r) => r.status === 'live');
    const shadow = rows.find((r) => r.status === 'shadow');
    return { live: live ? toStored(live) : null, shadow: shadow ? toStored(shadow) : null };
  }

  async promote(id: string, now = new Date()): Promise<StoredModel> {
    const m = await this.get(id);
    if (m.status === 'live') return m;
    await this.db.knex.transaction((trx) => this.promoteIn(trx, m.id, now));
    return this.get(m.id);
  }

  async retire(id: string, now = new Date()): Promise<StoredModel> {
    const m = await this.get(id);
    await this.db.knex('risk_models').where({ id: m.id }).update({ status: 'retired', retired_at: now.toISOString() });
    return this.get(m.id);
  }
}

function toStored(r: Record<string, string | null>): StoredModel {
  return {
    id: r.id!,
    sha256: r.sha256!,
    status: r.status as StoredModel['status'],
    createdAt: r.created_at!,
    promotedAt: r.promoted_at ?? null,
    retiredAt: r.retired_at ?? null,
    artefact: parseArtefact(r.artefact!, r.sha256!),
  };
}
