import Ajv from 'ajv';
import type { Actor } from '../auth/principal.js';
import type { Approval, ApprovalCommit, FourEyes } from '../approvals/four-eyes.js';
import type { Database } from '../storage/database.js';
import type { GroupCommitWriter } from '../storage/group-commit-writer.js';
import { policySchema } from './config-schema.js';
import { policyWithDefaults, type PolicyConfig } from './scoring-config.js';
import type { ScoringStage } from './scoring-stage.js';

// The random secret is the config's (from the environment): a request can neither set nor read it.
const { randomSecret: _secret, ...properties } = policySchema.properties;
const validate = new Ajv({ allErrors: true, strict: false }).compile({ ...policySchema, required: ['name'], properties });

export class PolicyRefusedError extends Error {
  readonly code = 'POLICY_REFUSED';
}

/** A policy as the API shows it: everything but the secret. */
export function publicPolicy(p: PolicyConfig): Omit<PolicyConfig, 'randomSecret'> {
  const { randomSecret: _s, ...rest } = p;
  return rest;
}

export interface PolicyChangeDeps {
  db: Database;
  writer: GroupCommitWriter;
  stage: ScoringStage;
  fourEyes: FourEyes;
  checkpoint: string;
  /** `security.fourEyes.scoringPolicy`: a second supervisor approves a new live policy. */
  needsApproval: boolean;
}

/**
 * Changing the live scoring policy of a running hub (thresholds, weights, random share, capacity). With four-eyes
 * on, a supervisor's change is a request a second supervisor approves; the approved policy, the decision and the
 * audit entries are one write, and the next case is decided by it. It is stored, and wins over the file's policy
 * after a restart too, until another change.
 */
export class PolicyChanges {
  constructor(private readonly d: PolicyChangeDeps) {
    d.fourEyes.register('scoring.policy', async (commit) => {
      const policy = policyWithDefaults((commit.approval.payload as { policy: Record<string, unknown> }).policy);
      await this.apply(policy, commit.approval.decidedBy!, commit);
    });
  }

  /** Reads a changed policy back at start (none: the file's stays live). */
  async load(): Promise<void> {
    const row = await this.d.db.knex('scoring_policy').where({ checkpoint: this.d.checkpoint }).first();
    if (row) this.d.stage.setPolicy(policyWithDefaults(JSON.parse(row.policy)));
  }

  async request(body: unknown, by: Actor, reason?: string): Promise<{ policy: Omit<PolicyConfig, 'randomSecret'> } | { approval: Approval }> {
    if (!validate(body)) {
      throw new PolicyRefusedError(`policy refused: ${(validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`).join('; ')}`);
    }
    const policy = policyWithDefaults(body as unknown as Record<string, unknown>);
    if (policy.thresholds.yellow > policy.thresholds.red)
      throw new PolicyRefusedError(`policy refused: /thresholds yellow ${policy.thresholds.yellow} is above red ${policy.thresholds.red}`);
    if (!this.d.needsApproval) {
      await this.apply(policy, by);
      return { policy: publicPolicy(this.d.stage.policy) };
    }
    const approval = await this.d.fourEyes.request(
      'scoring.policy',
      { type: 'scoring-policy', id: this.d.checkpoint },
      by,
      { policy: publicPolicy(policy) },
      reason ?? `live policy ${policy.name}`,
    );
    return { approval };
  }

  private async apply(policy: PolicyConfig, by: Actor, commit?: ApprovalCommit): Promise<void> {
    const before = publicPolicy(this.d.stage.policy);
    const after = publicPolicy(policy);
    await this.d.writer.write({
      type: 'audit',
      audit: [
        ...(commit?.audit ?? []),
        {
          actor: by,
          action: 'scoring.policy-changed',
          object: { type: 'scoring-policy', id: this.d.checkpoint },
          before,
          after,
          ...(commit ? { details: { approval: commit.approval.id, requestedBy: commit.approval.requestedBy.subject } } : {}),
        },
      ],
      apply: async (trx) => {
        if (commit) await commit.apply(trx);
        await trx('scoring_policy')
          .insert({
            checkpoint: this.d.checkpoint,
            policy: JSON.stringify(after),
            changed_at: new Date().toISOString(),
            changed_by: by.subject,
            approval: commit?.approval.id ?? null,
          })
          .onConflict('checkpoint')
          .merge();
      },
    });
    this.d.stage.setPolicy(policy);
  }
}
