import { join } from 'node:path';
import type { Server } from '@hapi/hapi';
import type { ScorerPlugin } from '@customs-hub/sdk';
import type { HubConfig } from '../config/types.js';
import { DeclarationStore } from '../declarations/declaration-store.js';
import { ScorerRegistry } from '../scoring/scorer-registry.js';
import { correlationFor, type ScoringConfig } from '../scoring/scoring-config.js';
import { ScoringStage } from '../scoring/scoring-stage.js';
import type { Database } from '../storage/database.js';
import type { GroupCommitWriter } from '../storage/group-commit-writer.js';
import type { Logger } from '../util/logger.js';
import type { SwallowedErrors } from '../util/swallowed-errors.js';
import { registerCaseRoutes } from './case-routes.js';
import { recordDeclarationOutcome } from '../declarations/outcome-rows.js';
import { DeclarationRiskService } from '../risk-model/risk-service.js';
import { CentralWatchlistStore } from '../watchlists/central-watchlists.js';
import { ModelPromotion } from '../risk-model/model-promotion.js';
import { PolicyChanges } from '../scoring/policy-change.js';
import { registerPolicyRoutes } from '../scoring/policy-routes.js';
import { registerModelRoutes } from '../risk-model/model-routes.js';
import { ModelStore } from '../risk-model/model-store.js';
import { CaseService } from './case-service.js';
import { CaseStore } from './case-store.js';
import { FourEyes } from '../approvals/four-eyes.js';
import { AuditLog } from '../audit/audit-log.js';

export interface CaseModuleOptions {
  config: HubConfig;
  db: Database;
  writer: GroupCommitWriter;
  logger: Logger;
  /** Where workspace scorers are discovered; null for none, undefined for plugins/ next to core. */
  workspaceDir?: string | null;
  /** Scorers given directly (tests, the scenario). */
  scorers?: ScorerPlugin[];
  sweepIntervalMs?: number;
  /** The hub's audit log and four-eyes service; made here when not given (tests). */
  audit?: AuditLog;
  fourEyes?: FourEyes;
  /** Where errors dropped on purpose are logged and counted. */
  errors?: SwallowedErrors;
}

/** Cases, declarations and scoring, wired together; the hub starts it after devices and stops it before the writer. */
export class CaseModule {
  readonly scoring: ScoringConfig;
  readonly registry: ScorerRegistry;
  readonly stage: ScoringStage;
  readonly store: CaseStore;
  readonly declarations: DeclarationStore;
  readonly service: CaseService;
  readonly audit: AuditLog;
  readonly fourEyes: FourEyes;
  /** The learned declaration-risk model, live and shadow. */
  readonly risk: DeclarationRiskService;
  /** The watchlists the central system sent (national downlink). */
  readonly watchlists: CentralWatchlistStore;
  /** The models in store, and their promotion (four-eyes when the checkpoint asks for it). */
  readonly models: ModelStore;
  readonly promotion: ModelPromotion;
  /** Changes of the live scoring policy through the API (four-eyes when the checkpoint asks for it). */
  readonly policies: PolicyChanges;
  private readonly db: Database;
  private readonly cp: string;
  private readonly logger: Logger;
  private currentConfig: () => HubConfig;

  constructor(o: CaseModuleOptions) {
    const cp = o.config.checkpoint.id;
    this.logger = o.logger.child({ module: 'cases' });
    this.scoring = o.config.scoring;
    this.registry = ScorerRegistry.discover({
      workspaceDir: o.workspaceDir,
      packages: this.scoring.scorers.flatMap((s) => (s.package ? [s.package] : [])),
      resolveFrom: o.config.file ? join(o.config.file, '..') : process.cwd(),
    });
    for (const s of o.scorers ?? []) this.registry.load(s);
    this.stage = new ScoringStage(this.registry, this.scoring, this.logger);
    this.db = o.db;
    this.cp = cp;
    this.risk = new DeclarationRiskService(o.db, cp, this.logger);
    this.stage.models = this.risk;
    this.watchlists = new CentralWatchlistStore(o.db, cp);
    this.stage.watchlists = this.watchlists;
    this.store = new CaseStore(o.db, cp);
    this.declarations = new DeclarationStore(o.db, o.writer, cp);
    this.audit = o.audit ?? new AuditLog(o.db, o.writer, cp);
    this.fourEyes = o.fourEyes ?? new FourEyes(o.db, o.writer, cp);
    this.models = new ModelStore(o.db, cp);
    this.promotion = new ModelPromotion({
      store: this.models,
      writer: o.writer,
      risk: this.risk,
      fourEyes: this.fourEyes,
      needsApproval: o.config.security.fourEyes.promoteModel,
    });
    this.policies = new PolicyChanges({
      db: o.db,
      writer: o.writer,
      stage: this.stage,
      fourEyes: this.fourEyes,
      checkpoint: cp,
      needsApproval: o.config.security.fourEyes.scoringPolicy,
    });
    // The config after reloads decides which devices are in maintenance; start() receives it from the hub.
    const excused = (id: string) => (this.currentConfig().devices.find((d) => d.id === id)?.adminState ?? 'enabled') !== 'enabled';
    this.currentConfig = () => o.config;
    this.service = new CaseService(
      correlationFor(this.scoring.correlation, o.config.lanes),
      cp,
      o.writer,
      this.store,
      this.declarations,
      this.stage,
      this.logger,
      {
        sweepIntervalMs: o.sweepIntervalMs ?? 1000,
        excused,
        ...(o.errors ? { errors: o.errors } : {}),
        fourEyes: this.fourEyes,
        releaseRedNeedsApproval: o.config.security.fourEyes.releaseRed,
      },
    );
    // An officer's result on a case with a declaration is that declaration's label too.
    this.service.onOutcome = (c) => {
      if (!c.declarationNumber || !c.outcome) return Promise.resolve();
      return recordDeclarationOutcome(o.db.knex, cp, {
        number: c.declarationNumber,
        violation: c.outcome.violation,
        critical: false,
        recordedAt: c.outcome.recordedAt,
        source: 'officer',
        caseId: c.id,
      });
    };
  }

  /** Registers the routes and starts correlating (recovering unsettled cases first). */
  async start(http: Server, currentConfig?: () => HubConfig): Promise<void> {
    if (currentConfig) this.currentConfig = currentConfig;
    for (const r of this.registry.refused) this.logger.error({ source: r.source, reason: r.reason }, 'scorer refused');
    // Nothing but health answers without a token: without a default auth strategy the routes stay away.
    await this.risk.reload();
    await this.watchlists.load();
    await this.policies.load();
    if (http.auth.settings.default) {
      registerCaseRoutes(http, {
        cases: this.service,
        store: this.store,
        declarations: this.declarations,
        flagScore: this.scoring.policy.thresholds.yellow,
        audit: this.audit,
        fourEyes: this.fourEyes,
        scoreDeclaration: (d) => this.stage.scoreDeclaration(d),
        recordDeclarationOutcome: (number, x) =>
          recordDeclarationOutcome(this.db.knex, this.cp, { number, ...x, recordedAt: new Date().toISOString(), source: 'officer' }),
      });
      registerModelRoutes(http, this.models, this.promotion);
      registerPolicyRoutes(http, this.stage, this.policies);
    } else this.logger.warn('no default auth strategy on the HTTP server: case and declaration routes not registered');
    if (!this.scoring.enabled) {
      this.logger.info('case correlation and scoring disabled (scoring.enabled: false)');
      return;
    }
    await this.service.start();
    this.logger.info(
      { scorers: this.stage.scorerNames, policy: this.scoring.policy.name, shadowPolicies: this.scoring.shadowPolicies.map((p) => p.name) },
      'case correlation started',
    );
  }

  /**
   * After a config reload: the lanes' devices as the new file has them. The `scoring:` section itself
   * still needs a restart (the diff says so); its explicit `expectedDevices` stay as they were.
   */
  reconfigure(next: HubConfig): Promise<void> {
    return this.service.reconfigure(correlationFor(this.scoring.correlation, next.lanes));
  }

  /** Makes a start in progress (recovering cases) end at its next step. */
  interrupt(): void {
    this.service.interrupt();
  }

  async stop(): Promise<void> {
    await this.service.stop();
  }
}

export function createCaseModule(o: CaseModuleOptions): CaseModule {
  return new CaseModule(o);
}
