export { createHub, loadPlugins, type HubOptions } from './bootstrap.js';
export { Hub } from './hub.js';
export { Tokens } from './tokens.js';
export { loadConfig, loadConfigFile, parseConfig } from './config/load-config.js';
export { ConfigError } from './config/config-error.js';
export type { HubConfig, DeviceConfig } from './config/types.js';
export { openDatabase, type Database } from './storage/database.js';
export { GroupCommitWriter, observationRow } from './storage/group-commit-writer.js';
export { FeedReader } from './storage/feed-reader.js';
export type { FeedRecord, WriteItem, WriteResult } from './storage/records.js';
export { ObservationPipeline, type EmitSource } from './pipeline/observation-pipeline.js';
export { DeadLetterStore } from './pipeline/dead-letters.js';
export { PluginRegistry } from './plugins/plugin-registry.js';
export { createLogger, type Logger } from './util/logger.js';
export { registerApi, API_VERSION, buildOpenApi, type ApiDeps } from './api/index.js';
export { TokenStore, type TokenCredentials } from './auth/token-store.js';
export { SCOPES, type Scope } from './auth/scopes.js';
export { toCloudEventJson, type CloudEvent } from './feed/cloud-event.js';
export { CaseModule, createCaseModule } from './cases/case-module.js';
export { CASE_EVENTS } from './cases/case-events.js';
export { outcomesReport, formatOutcomes, type OutcomesReport } from './scoring/outcomes-report.js';
export { runScenario, type ScenarioOptions } from './scenario/run-scenario.js';
export { runProtocolScenario, type ProtocolScenarioOptions, type ProtocolScenarioResult } from './scenario/protocol-scenario.js';
export {
  startOutbox,
  feedSource,
  Outbox,
  NatsJetStreamTarget,
  OutboxStateStore,
  OutboxFullError,
  outboxSection,
  FEED_SEQ_HEADER,
  type OutboxConfig,
  type OutboxStatus,
} from './outbox/index.js';
export { NatsTopology, type TopologyOptions } from './national/topology.js';
export { EdgeFeed, syntheticObservation } from './national/edge-feed.js';
export { ensureCheckpointMirror, listNationalStreams, type EdgeStream } from './national/national-stream.js';
export { compareFeed, readFeedSeqs, type FeedComparison } from './national/national-audit.js';
export * as nationalNames from './national/nats-names.js';
export { pullBatch } from './national/pull-budget.js';
export { AuditModule } from './audit/audit-module.js';
export { AuditLog, type AuditQuery } from './audit/audit-log.js';
export { appendAudit } from './audit/audit-chain.js';
export type { AuditInput, AuditEntry, AuditObject } from './audit/audit-entry.js';
export { verifyAudit, type VerifyResult } from './audit/audit-verify.js';
export { FourEyes, ApprovalError, type Approval, type ApprovalCommit } from './approvals/four-eyes.js';
export { HUB_ACTOR, actorOf, principalOf, type Actor, type Principal } from './auth/principal.js';
export { ROLES, ROLE_SCOPES, type Role } from './auth/roles.js';
export { importDeclarations, type ImportSummary } from './declarations/import/import-declarations.js';
export { loadMapping, mapRow, type ImportMapping } from './declarations/import/mapping.js';
export { readRows } from './declarations/import/row-reader.js';
export { DeclarationChecker, DeclarationStore } from './declarations/declaration-store.js';
export { recordDeclarationOutcome, dayPlus } from './declarations/outcome-rows.js';
export { loadLabelled, trainModel, TRAINING_PARAMS } from './risk-model/train-model.js';
export { ModelStore } from './risk-model/model-store.js';
export { DeclarationRiskService } from './risk-model/risk-service.js';
export { selectivity, type Selectivity } from './risk-model/metrics.js';
export { ScorerRegistry } from './scoring/scorer-registry.js';
export { ScoringStage } from './scoring/scoring-stage.js';
export { policyWithDefaults } from './scoring/scoring-config.js';
export { Pruner, type PruneResult } from './retention/pruner.js';
export { storageReport, formatStorageReport, rawStoreUsage } from './retention/storage-report.js';
export { backup, restore, type BackupManifest } from './retention/backup.js';
export { startProgress, type Progress } from './cli/progress.js';
