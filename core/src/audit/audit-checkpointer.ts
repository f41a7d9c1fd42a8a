import type { Database } from '../storage/database.js';
import type { GroupCommitWriter } from '../storage/group-commit-writer.js';
import { newId } from '../pipeline/ids.js';
import type { Logger } from '../util/logger.js';
import { signCheckpoint, type SignedCheckpoint, type SigningKey } from './audit-signer.js';

export const AUDIT_CHECKPOINT_EVENT = 'customs.audit.checkpoint.v1';

/**
 * Every interval, signs the chain head (when it moved) and publishes it on the feed, so the central system
 * keeps checkpoints a local administrator cannot rewrite unnoticed: a rewritten or shortened chain no longer
 * matches a signed hash the centre holds. The signature is stored with the feed event in one transaction.
 */
export class AuditCheckpointer {
  private timer: NodeJS.Timeout | null = null;
  private lastSigned = 0;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly writer: GroupCommitWriter,
    private readonly checkpoint: string,
    private readonly key: SigningKey,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const row = await this.db.knex('audit_checkpoints').where({ checkpoint: this.checkpoint }).max({ m: 'seq' }).first();
    this.lastSigned = Number(row?.m ?? 0);
    this.timer = setInterval(() => {
      this.running = this.signNow().catch((err) => this.logger.error({ err }, 'audit checkpoint not signed'));
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Signs the head now, at the end of a run too; null when nothing changed since the last checkpoint. */
  async signNow(): Promise<SignedCheckpoint | null> {
    const head = await this.db.knex('audit_log').select('seq', 'hash').where({ checkpoint: this.checkpoint }).orderBy('seq', 'desc').first();
    if (!head || Number(head.seq) <= this.lastSigned) return null;
    const c = signCheckpoint(this.key, { checkpoint: this.checkpoint, seq: Number(head.seq), hash: head.hash, at: new Date().toISOString() });
    await this.writer.write({
      type: 'event',
      event: { id: newId(), type: AUDIT_CHECKPOINT_EVENT, subject: `${c.checkpoint}/${c.seq}`, time: c.at, data: c },
      apply: async (trx) => {
        await trx('audit_checkpoints')
          .insert({ checkpoint: c.checkpoint, seq: c.seq, hash: c.hash, at: c.at, key_id: c.keyId, public_key: c.publicKey, signature: c.signature })
          .onConflict(['checkpoint', 'seq'])
          .ignore();
      },
    });
    this.lastSigned = c.seq;
    return c;
  }

  /** Stops the timer and signs the final head while the writer still runs. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.signNow().catch((err) => this.logger.error({ err }, 'final audit checkpoint not signed'));
  }
}
