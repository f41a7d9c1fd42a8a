import type { Server } from '@hapi/hapi';
import { registerApprovalRoutes } from '../approvals/approval-routes.js';
import { FourEyes } from '../approvals/four-eyes.js';
import type { HubConfig } from '../config/types.js';
import type { Database } from '../storage/database.js';
import type { GroupCommitWriter } from '../storage/group-commit-writer.js';
import type { Logger } from '../util/logger.js';
import { AuditCheckpointer } from './audit-checkpointer.js';
import type { AuditInput } from './audit-entry.js';
import { AuditLog } from './audit-log.js';
import { registerAuditRoutes } from './audit-routes.js';
import { loadSigningKey, type SigningKey } from './audit-signer.js';

/**
 * Accountability, wired: the audit log, four-eyes approvals and the signer of the chain head. Other
 * modules record through `log` (or `record`), and ask for a second person through `fourEyes`.
 */
export class AuditModule {
  readonly log: AuditLog;
  readonly fourEyes: FourEyes;
  readonly key: SigningKey;
  private readonly checkpointer: AuditCheckpointer;

  constructor(config: HubConfig, private readonly db: Database, writer: GroupCommitWriter, logger: Logger) {
    const cp = config.checkpoint.id;
    this.log = new AuditLog(db, writer, cp);
    this.fourEyes = new FourEyes(db, writer, cp);
    this.key = loadSigningKey(config.audit.signingKeyFile, config.audit.createKey);
    this.checkpointer = new AuditCheckpointer(db, writer, cp, this.key, config.audit.checkpointIntervalMs, logger.child({ module: 'audit' }));
  }

  /** Records an action that is only an entry (or whose rows ride in `apply`); resolves after the commit. */
  record(inputs: AuditInput | AuditInput[]): Promise<number[]> {
    return this.log.record(inputs);
  }

  /** Routes need the default auth strategy; the hub registers them after the API. */
  async start(http: Server): Promise<void> {
    registerAuditRoutes(http, this.log, this.db, () => [this.key.publicKey]);
    registerApprovalRoutes(http, this.fourEyes);
    await this.checkpointer.start();
  }

  /** Signs the final head; call while the writer still runs. */
  stop(): Promise<void> {
    return this.checkpointer.stop();
  }

  /** Signs the head now (tests, `audit checkpoint`). */
  signNow(): ReturnType<AuditCheckpointer['signNow']> {
    return this.checkpointer.signNow();
  }
}
