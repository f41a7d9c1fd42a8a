import 'reflect-metadata';
import { join } from 'node:path';
import { container, instanceCachingFactory, type DependencyContainer } from 'tsyringe';
import type { ScorerPlugin } from '@customs-hub/sdk';
import { createHttpServer } from './api/http-server.js';
import { AuditModule } from './audit/audit-module.js';
import { createCaseModule } from './cases/case-module.js';
import { checkDeviceConfigs } from './config/check-devices.js';
import type { HubConfig } from './config/types.js';
import type { YamlSource } from './config/yaml-source.js';
import { DeviceManager } from './devices/device-manager.js';
import { DeviceStatusStore } from './devices/status-store.js';
import { Hub, HTTP_SERVER } from './hub.js';
import { createHubMetrics } from './metrics/create-metrics.js';
import { DeadLetterStore } from './pipeline/dead-letters.js';
import { ObservationPipeline } from './pipeline/observation-pipeline.js';
import { PluginRegistry } from './plugins/plugin-registry.js';
import { openDatabase, redactUrl } from './storage/database.js';
import { FeedReader } from './storage/feed-reader.js';
import { GroupCommitWriter } from './storage/group-commit-writer.js';
import { acquireHubLock } from './storage/hub-lock.js';
import { Tokens } from './tokens.js';
import { createLogger, type Logger } from './util/logger.js';
import { SwallowedErrors } from './util/swallowed-errors.js';

export interface HubOptions {
  logger?: Logger;
  /** Where workspace plugins are discovered; null for none (tests). */
  workspaceDir?: string | null;
  /** More plugin modules to load by path (tests, local development). */
  pluginPaths?: string[];
  /** The config's YAML source, to locate device config errors by line. */
  source?: YamlSource | null;
  /** Risk scorers given directly, beside the discovered ones (tests, the scenario). */
  scorers?: ScorerPlugin[];
  /** Replaces fetch for the hub's calls to the identity provider (tests altering its answers in transit). */
  oidcFetch?: typeof fetch;
}

/** Loads the plugins a config needs; device configs are checked against their schemas. */
export function loadPlugins(config: HubConfig, options: HubOptions = {}): PluginRegistry {
  const registry = PluginRegistry.discover({
    workspaceDir: options.workspaceDir,
    packages: config.plugins.map((p) => p.package),
    resolveFrom: config.file ? join(config.file, '..') : process.cwd(),
  });
  for (const p of options.pluginPaths ?? []) registry.load(p);
  checkDeviceConfigs(config, registry, options.source ?? null);
  return registry;
}

/**
 * The composition root: the only place that touches the container. Each hub gets a child container,
 * so several hubs (tests) never share a service.
 */
export async function createHub(config: HubConfig, options: HubOptions = {}): Promise<{ hub: Hub; container: DependencyContainer }> {
  const logger = options.logger ?? createLogger(config.logging.level);
  const plugins = loadPlugins(config, options);
  const errors = new SwallowedErrors(logger);
  // Before the database is touched: a second hub on the same data is refused here.
  const lock = await acquireHubLock({ dataDir: config.dataDir, storageUrl: config.storage.url, checkpoint: config.checkpoint.id }, logger, errors);
  let db;
  try {
    db = await openDatabase(config.storage.url);
  } catch (err) {
    await lock.release();
    throw err;
  }
  logger.info({ storage: redactUrl(config.storage.url), dialect: db.dialect }, 'storage open');
  const c = container.createChildContainer();
  const cp = config.checkpoint.id;
  c.register(Tokens.Config, { useValue: config });
  c.register(Tokens.Logger, { useValue: logger });
  c.register(Tokens.Errors, { useValue: errors });
  c.register(Tokens.Database, { useValue: db });
  c.register(Tokens.HubLock, { useValue: lock });
  c.register(Tokens.Plugins, { useValue: plugins });
  c.register(HTTP_SERVER, { useValue: createHttpServer(config) });
  c.register(Tokens.Writer, {
    useFactory: instanceCachingFactory(
      () =>
        new GroupCommitWriter(db, cp, {
          maxRows: config.storage.batchMaxRows,
          maxDelayMs: config.storage.batchMaxDelayMs,
          queueLimit: config.storage.queueLimit,
          errors,
        }),
    ),
  });
  c.register(Tokens.FeedReader, { useFactory: instanceCachingFactory(() => new FeedReader(db, cp)) });
  c.register(Tokens.DeadLetters, { useFactory: instanceCachingFactory(() => new DeadLetterStore(db, cp)) });
  c.register(Tokens.Pipeline, {
    useFactory: instanceCachingFactory((d) => new ObservationPipeline(cp, d.resolve(Tokens.Writer), d.resolve(Tokens.DeadLetters), logger)),
  });
  c.register(Tokens.Statuses, { useFactory: instanceCachingFactory((d) => new DeviceStatusStore(db, d.resolve(Tokens.Writer), cp, logger)) });
  c.register(Tokens.Devices, {
    useFactory: instanceCachingFactory((d) => {
      const pipeline = d.resolve<ObservationPipeline>(Tokens.Pipeline);
      const devices = new DeviceManager(config, plugins, pipeline, d.resolve(Tokens.Statuses), logger, errors);
      pipeline.subscribe(devices.pipelineListener);
      return devices;
    }),
  });
  c.register(Tokens.Audit, {
    useFactory: instanceCachingFactory(
      (d) => new AuditModule(config, db, d.resolve(Tokens.Writer), logger, { errors, ...(options.oidcFetch ? { oidcFetch: options.oidcFetch } : {}) }),
    ),
  });
  c.register(Tokens.Cases, {
    useFactory: instanceCachingFactory((d) => {
      const audit = d.resolve<AuditModule>(Tokens.Audit);
      return createCaseModule({
        config,
        db,
        writer: d.resolve(Tokens.Writer),
        logger,
        workspaceDir: options.workspaceDir,
        scorers: options.scorers,
        audit: audit.log,
        fourEyes: audit.fourEyes,
        errors,
      });
    }),
  });
  c.register(Tokens.Metrics, {
    useFactory: instanceCachingFactory((d) =>
      createHubMetrics(cp, { writer: d.resolve(Tokens.Writer), devices: d.resolve(Tokens.Devices), pipeline: d.resolve(Tokens.Pipeline), errors }),
    ),
  });
  c.register(Hub, { useClass: Hub });
  return { hub: c.resolve(Hub), container: c };
}
