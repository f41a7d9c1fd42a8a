import type { Actor } from '../auth/principal.js';
import type { Approval, ApprovalCommit, FourEyes } from '../approvals/four-eyes.js';
import { ApprovalError } from '../approvals/four-eyes.js';
import type { GroupCommitWriter } from '../storage/group-commit-writer.js';
import type { ModelStore } from './model-store.js';
import type { DeclarationRiskService } from './risk-service.js';

export interface ModelPromotionDeps {
  store: ModelStore;
  writer: GroupCommitWriter;
  risk: DeclarationRiskService;
  fourEyes: FourEyes;
  /** `security.fourEyes.promoteModel`: a second supervisor approves before a model goes live. */
  needsApproval: boolean;
}

/**
 * Promoting a declaration-risk model from the API. With four-eyes on, a supervisor's promotion is a request that
 * another supervisor approves; the approved promotion, its decision and audit entries are one write. The running
 * hub reads its models again at once, so the new model scores the next declaration.
 */
export class ModelPromotion {
  constructor(private readonly d: ModelPromotionDeps) {
    d.fourEyes.register('model.promote', async (commit) => {
      const id = commit.approval.object.id;
      await this.promote(id, commit.approval.decidedBy!, { requestedBy: commit.approval.requestedBy.subject, approval: commit.approval.id }, commit);
    });
  }

  /** Promotes now (four-eyes off), or files the request (on): `{ approval }` then. */
  async request(id: string, by: Actor, reason?: string): Promise<{ promoted: string } | { approval: Approval }> {
    const m = await this.d.store.get(id).catch((err: Error) => {
      throw new ApprovalError(404, err.message);
    });
    if (m.status === 'live') throw new ApprovalError(409, `model ${m.id} is already live`);
    if (!this.d.needsApproval) {
      await this.promote(m.id, by, {});
      return { promoted: m.id };
    }
    return {
      approval: await this.d.fourEyes.request(
        'model.promote',
        { type: 'model', id: m.id },
        by,
        { model: m.id, sha256: m.sha256 },
        reason ?? 'promote a declaration-risk model',
      ),
    };
  }

  private async promote(id: string, by: Actor, details: Record<string, string>, commit?: ApprovalCommit): Promise<void> {
    const before = this.d.risk.models.live;
    await this.d.writer.write({
      type: 'audit',
      audit: [
        ...(commit?.audit ?? []),
        { actor: by, action: 'model.promoted', object: { type: 'model', id }, before: before ? { live: before.id } : undefined, after: { live: id }, details },
      ],
      apply: async (trx) => {
        if (commit) await commit.apply(trx);
        await this.d.store.promoteIn(trx, id);
      },
    });
    await this.d.risk.reload();
  }
}
