import type { Server } from '@hapi/hapi';
import { registerApprovalRoutes } from '../approvals/approval-routes.js';
import { FourEyes } from '../approvals/four-eyes.js';
import type { HubConfig } from '../config/types.js';
import type { Database } from '../storage/database.js';
import type { GroupCommitWriter } from '../storage/group-commit-writer.js';
import type { Logger } from '../util/logger.js';
import type { SwallowedErrors } from '../util/swallowed-errors.js';
import { AuditCheckpointer } from './audit-checkpointer.js';
import type { AuditInput } from './audit-entry.js';
import { AuditLog } from './audit-log.js';
import { registerAuditRoutes } from './audit-routes.js';
import { loadSigningKey, type SigningKey } from './audit-signer.js';
import type { Request } from '@hapi/hapi';
import type { BearerOptions } from '../auth/bearer-scheme.js';
import { OidcSignIn } from '../auth/oidc-sign-in.js';
import { sourceOf } from '../auth/principal.js';
import { SessionStore } from '../auth/session-store.js';
import { registerSignInRoutes, sessionCredentials } from '../auth/sign-in-routes.js';

/**
 * Accountability, wired: the audit log, four-eyes approvals, the signer of the chain head, and the console's
 * OIDC sign-in when `security.signIn: oidc`. Other modules record through `log` (or `record`), and ask for a
 * second person through `fourEyes`.
 */
export class AuditModule {
  readonly log: AuditLog;
  readonly fourEyes: FourEyes;
  readonly key: SigningKey;
  private readonly checkpointer: AuditCheckpointer;
  readonly signIn: OidcSignIn | null;
  private readonly mtls: HubConfig['security']['mtls'];
  private readonly failures = new Map<string, { at: number; count: number }>();

  constructor(
    config: HubConfig,
    private readonly db: Database,
    writer: GroupCommitWriter,
    private readonly logger: Logger,
    private readonly options: { oidcFetch?: typeof fetch; errors?: SwallowedErrors } = {},
  ) {
    const cp = config.checkpoint.id;
    this.log = new AuditLog(db, writer, cp);
    this.fourEyes = new FourEyes(db, writer, cp);
    this.key = loadSigningKey(config.audit.signingKeyFile, config.audit.createKey);
    this.checkpointer = new AuditCheckpointer(db, writer, cp, this.key, config.audit.checkpointIntervalMs, logger.child({ module: 'audit' }));
    this.mtls = config.security.mtls;
    this.signIn =
      config.security.signIn === 'oidc' && config.security.oidc ? new OidcSignIn(config.security.oidc, new SessionStore(), options.oidcFetch ?? null) : null;
  }

  /** What the API's auth scheme needs: console sessions, and where refused tokens are reported. */
  authOptions(): BearerOptions {
    const signIn = this.signIn;
    return {
      mtls: this.mtls,
      ...(signIn ? { session: (cookie: string) => sessionCredentials(signIn, cookie) } : {}),
      onFailure: (req) => this.tokenRefused(req),
    };
  }

  /**
   * A refused token is a failed sign-in. One entry per source a minute at most (with the count since the
   * last), so a flood of bad tokens cannot flood the log.
   */
  private tokenRefused(req: Request): void {
    const source = sourceOf(req);
    const now = Date.now();
    const f = this.failures.get(source) ?? { at: 0, count: 0 };
    f.count++;
    this.failures.set(source, f);
    if (now - f.at < 60_000) return;
    const count = f.count;
    f.at = now;
    f.count = 0;
    if (this.failures.size > 10_000) this.failures.clear();
    void this.record({
      actor: { subject: 'unknown', role: 'none', client: 'token', source },
      action: 'signin.failed',
      object: { type: 'session', id: 'token' },
      details: { reason: 'invalid or revoked token', attempts: count, path: req.path },
    }).catch((err) => this.options.errors?.record('audit.signin-failed', err, { source, attempts: count }, 'failed sign-in not recorded in the audit log'));
  }

  /** Records an action that is only an entry (or whose rows ride in `apply`); resolves after the commit. */
  record(inputs: AuditInput | AuditInput[]): Promise<number[]> {
    return this.log.record(inputs);
  }

  /** Routes need the default auth strategy; the hub registers them after the API. */
  async start(http: Server): Promise<void> {
    registerAuditRoutes(http, this.log, this.db, () => [this.key.publicKey]);
    registerApprovalRoutes(http, this.fourEyes);
    const methods = this.signIn ? ['token', 'oidc'] : ['token'];
    // Public like the sign-in itself: the console's login page offers what the hub accepts.
    http.route({
      method: 'GET',
      path: '/auth/methods',
      options: { auth: false, description: 'How people sign in to the console here' },
      handler: () => ({ methods }),
    });
    if (this.signIn) {
      registerSignInRoutes(http, this.signIn, (input) => this.record(input), this.options.errors);
      // Discovery now, so a misconfigured provider shows at start; sign-in retries it.
      await this.signIn
        .provider()
        .catch((err) => this.logger.warn({ err: (err as Error).message }, 'OIDC sign-in: identity provider not reachable yet; retried at the next sign-in'));
    }
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
