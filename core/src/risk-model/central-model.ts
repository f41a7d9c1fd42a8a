import type { Knex } from 'knex';
import type { Actor } from '../auth/principal.js';
import type { AuditInput } from '../audit/audit-entry.js';
import type { AuditLog } from '../audit/audit-log.js';
import { parseArtefact } from './artefact.js';
import { modelId, type ModelStore } from './model-store.js';

/** What the centre sends on `down.<checkpoint>.model`: a released model as `customs-hub model export` writes it. */
export interface ModelMessage {
  kind: 'declaration-risk-model';
  sha256: string;
  /** The artefact exactly as stored (its sha256 is the one above). */
  artefact: string;
  /** The centre's release: its name for the version, when and by whom (for the audit log). */
  release?: { version?: string; releasedAt?: string; releasedBy?: string };
}

export class ModelRefusedError extends Error {
  readonly code = 'MODEL_REFUSED';
}

const MAX_ARTEFACT_CHARS = 64 * 1024 * 1024;

function check(body: unknown): ModelMessage {
  const m = body as Partial<ModelMessage> | null;
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw new ModelRefusedError('model message refused: not an object');
  if (m.kind !== 'declaration-risk-model')
    throw new ModelRefusedError(`model message refused: /kind must be 'declaration-risk-model' (is ${JSON.stringify(m.kind)})`);
  if (typeof m.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(m.sha256))
    throw new ModelRefusedError('model message refused: /sha256 must be 64 lowercase hex digits');
  if (typeof m.artefact !== 'string' || m.artefact.length === 0) throw new ModelRefusedError('model message refused: /artefact must be the artefact text');
  if (m.artefact.length > MAX_ARTEFACT_CHARS) throw new ModelRefusedError(`model message refused: /artefact is over ${MAX_ARTEFACT_CHARS} characters`);
  if (m.release !== undefined && (typeof m.release !== 'object' || m.release === null))
    throw new ModelRefusedError('model message refused: /release must be an object');
  return m as ModelMessage;
}

/**
 * Applies a risk model the central system released: the hash is checked against the text, the model is stored,
 * and made live (`mode: live`, the default: the centre's release is the approval) or kept in shadow for a local
 * four-eyes promotion (`mode: shadow`). Audited, in one transaction with the downlink's record. Everything that can
 * refuse it is checked before the write, so a refusal never fails a batch of the writer.
 */
export async function applyCentralModel(
  body: unknown,
  deps: { store: ModelStore; audit: AuditLog; by: Actor; mode: 'live' | 'shadow' },
  alsoApply?: (trx: Knex.Transaction) => Promise<void>,
  now = new Date(),
): Promise<{ id: string; live: boolean }> {
  const m = check(body);
  try {
    parseArtefact(m.artefact, m.sha256);
  } catch (err) {
    throw new ModelRefusedError(`model message refused: ${(err as Error).message}`);
  }
  const id = modelId(m.sha256);
  const live = deps.mode === 'live';
  const object = { type: 'model', id };
  const entries: AuditInput[] = [
    {
      actor: deps.by,
      action: 'model.received',
      object,
      after: { id, sha256: m.sha256, status: live ? 'live' : 'shadow' },
      ...(m.release ? { details: { release: m.release } } : {}),
    },
  ];
  if (live)
    entries.push({
      actor: deps.by,
      action: 'model.promoted',
      object,
      after: { id, sha256: m.sha256, status: 'live' },
      details: { release: m.release ?? {}, approvedBy: 'central release' },
    });
  await deps.audit.record(entries, async (trx) => {
    await deps.store.receiveIn(trx, m.artefact, m.sha256, live, now);
    await alsoApply?.(trx);
  });
  return { id, live };
}
