import type { Knex } from 'knex';
import type { Actor } from '../auth/principal.js';
import type { AuditInput, AuditObject } from '../audit/audit-entry.js';
import type { Database } from '../storage/database.js';
import type { GroupCommitWriter } from '../storage/group-commit-writer.js';
import { newId } from '../pipeline/ids.js';

/** Decisions that need a second person: a red case's release, a model's promotion, a new scoring policy. */
export type ApprovalAction = 'case.release' | 'model.promote' | 'scoring.policy' | (string & {});

export interface Approval {
  id: string;
  action: ApprovalAction;
  object: AuditObject;
  state: 'pending' | 'approved' | 'rejected';
  requestedBy: Actor;
  requestedAt: string;
  decidedBy?: Actor;
  decidedAt?: string;
  /** Why it was asked for, and the approver's note. */
  reason?: string;
  note?: string;
  /** What is to be done once approved (the action's own data). */
  payload: unknown;
}

/** Refusals a caller gets as HTTP 403 / 404 / 409. */
export class ApprovalError extends Error {
  constructor(
    readonly status: 403 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

/**
 * What an approved action's executor writes with its change, in its own writer item: the approval row's
 * update (`apply`) and the audit entries of the decision (`audit`). One transaction, so an approval never
 * stands without its action or the other way round.
 */
export interface ApprovalCommit {
  approval: Approval;
  apply(trx: Knex.Transaction): Promise<void>;
  audit: AuditInput[];
}

/** Carries out an approved action; it must write `commit.apply` and `commit.audit` in the same write as the change. */
export type ApprovalExecutor = (commit: ApprovalCommit) => Promise<unknown>;

/** Who may approve: a person with the supervisor role who is not the one who asked. */
export interface Approver extends Actor {
  scope: string[];
}

/**
 * Four-eyes approval. A decision that needs a second person is requested (stored, audited), and done only
 * when a supervisor other than the requester approves it; the executor registered for its action then
 * carries it out. Other modules (models) register their actions with `register` and ask with `request`.
 */
export class FourEyes {
  private readonly executors = new Map<string, ApprovalExecutor>();

  constructor(
    private readonly db: Database,
    private readonly writer: GroupCommitWriter,
    private readonly checkpoint: string,
    private readonly now = Date.now,
  ) {}

  register(action: ApprovalAction, executor: ApprovalExecutor): void {
    this.executors.set(action, executor);
  }

  /** Stores a pending request and its audit entry; an identical pending request is returned instead of a second one. */
  async request(action: ApprovalAction, object: AuditObject, requestedBy: Actor, payload: unknown, reason?: string): Promise<Approval> {
    const open = (await this.list({ state: 'pending', objectType: object.type, objectId: object.id })).find((a) => a.action === action);
    if (open) return open;
    const approval: Approval = {
      id: newId(),
      action,
      object,
      state: 'pending',
      requestedBy,
      requestedAt: new Date(this.now()).toISOString(),
      payload,
      ...(reason ? { reason } : {}),
    };
    await this.writer.write({
      type: 'audit',
      audit: [{ actor: requestedBy, action: 'approval.requested', object, after: { approval: approval.id, action, reason }, details: payload }],
      apply: async (trx) => {
        await trx('approvals').insert(this.row(approval));
      },
    });
    return approval;
  }

  /** A supervisor's decision. Approving runs the action's executor, which writes the change with the decision. */
  async decide(id: string, approver: Approver, approve: boolean, note?: string): Promise<Approval> {
    const a = await this.get(id);
    if (!a) throw new ApprovalError(404, `approval ${id} not found`);
    if (a.state !== 'pending') throw new ApprovalError(409, `approval ${id} is already ${a.state}`);
    if (approver.role !== 'supervisor' || !approver.scope.includes('cases:approve'))
      throw new ApprovalError(403, `approving ${a.action} needs a person with the supervisor role (${approver.subject} is ${approver.role})`);
    if (approver.subject === a.requestedBy.subject)
      throw new ApprovalError(403, `four-eyes: ${approver.subject} asked for this ${a.action} and cannot approve it too; a second supervisor must`);
    const decided: Approval = {
      ...a,
      state: approve ? 'approved' : 'rejected',
      decidedBy: { subject: approver.subject, role: approver.role, client: approver.client, source: approver.source },
      decidedAt: new Date(this.now()).toISOString(),
      ...(note ? { note } : {}),
    };
    const commit: ApprovalCommit = {
      approval: decided,
      // Guarded on the state, so two approvers at once cannot both carry it out.
      apply: async (trx) => {
        const n = await trx('approvals')
          .where({ id, state: 'pending' })
          .update({ state: decided.state, decided_by: approver.subject, decided_at: decided.decidedAt, body: JSON.stringify(decided) });
        if (Number(n) !== 1) throw new ApprovalError(409, `approval ${id} was decided meanwhile`);
      },
      audit: [
        {
          actor: decided.decidedBy!,
          action: approve ? 'approval.approved' : 'approval.rejected',
          object: a.object,
          before: { state: 'pending', requestedBy: a.requestedBy.subject },
          after: { approval: id, action: a.action, state: decided.state, note },
        },
      ],
    };
    if (!approve) {
      await this.writer.write({ type: 'audit', audit: commit.audit, apply: commit.apply });
      return decided;
    }
    const executor = this.executors.get(a.action);
    if (!executor) throw new ApprovalError(409, `nothing in this hub carries out ${a.action}`);
    try {
      await executor(commit);
    } catch (err) {
      const cause = (err as { cause?: unknown }).cause;
      if (cause instanceof ApprovalError) throw cause;
      throw err;
    }
    return decided;
  }

  async get(id: string): Promise<Approval | null> {
    const row = await this.db.knex('approvals').select('body').where({ id, checkpoint: this.checkpoint }).first();
    return row ? (JSON.parse(row.body) as Approval) : null;
  }

  async list(q: { state?: string; objectType?: string; objectId?: string; limit?: number } = {}): Promise<Approval[]> {
    const k = this.db.knex('approvals').select('body').where({ checkpoint: this.checkpoint });
    if (q.state) k.andWhere({ state: q.state });
    if (q.objectType) k.andWhere({ object_type: q.objectType });
    if (q.objectId) k.andWhere({ object_id: q.objectId });
    const rows = await k.orderBy('id', 'desc').limit(q.limit ?? 100);
    return rows.map((r) => JSON.parse(r.body) as Approval);
  }

  private row(a: Approval): Record<string, unknown> {
    return {
      id: a.id,
      checkpoint: this.checkpoint,
      action: a.action,
      object_type: a.object.type,
      object_id: a.object.id,
      state: a.state,
      requested_by: a.requestedBy.subject,
      requested_at: a.requestedAt,
      decided_by: null,
      decided_at: null,
      body: JSON.stringify(a),
    };
  }
}
