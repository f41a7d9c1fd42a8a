import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from '@hapi/hapi';
import type { RunningSimulator } from '@customs-hub/sdk';
import { inject, injectable } from 'tsyringe';
import { registerHealthRoutes } from './api/health-routes.js';
import { registerApi } from './api/register-api.js';
import { registerConsoleRoutes } from './console/console-routes.js';
import type { HubMetrics } from './metrics/hub-metrics.js';
import { registerMetricsRoutes } from './metrics/metrics-routes.js';
import { watchHubServices } from './metrics/create-metrics.js';
import { registerRequestLog } from './metrics/request-log.js';
import { checkDeviceConfigs } from './config/check-devices.js';
import { describeDiff, diffConfig, type ConfigDiff } from './config/diff-config.js';
import { loadConfigFile } from './config/load-config.js';
import type { HubConfig } from './config/types.js';
import type { DeviceManager } from './devices/device-manager.js';
import type { CaseModule } from './cases/case-module.js';
import type { AuditModule } from './audit/audit-module.js';
import { HUB_ACTOR, type Actor } from './auth/principal.js';
import { hostname, userInfo } from 'node:os';
import type { PluginRegistry } from './plugins/plugin-registry.js';
import { startSimulators } from './simulators.js';
import { startLaneTwin, type RunningTwin } from './twin/start-twin.js';
import type { ObservationPipeline } from './pipeline/observation-pipeline.js';
import { LiveTraffic } from './scenario/live-traffic.js';
import type { Database } from './storage/database.js';
import type { GroupCommitWriter } from './storage/group-commit-writer.js';
import type { HubLock } from './storage/hub-lock.js';
import type { FeedReader } from './storage/feed-reader.js';
import { startOutbox } from './outbox/index.js';
import { startDownlink } from './national/start-downlink.js';
import type { Downlink } from './national/downlink.js';
import { createDataLifecycle, type DataLifecycle } from './retention/data-lifecycle.js';
import { Tokens } from './tokens.js';
import type { Logger } from './util/logger.js';
import type { SwallowedErrors } from './util/swallowed-errors.js';

export const HTTP_SERVER = Symbol('HttpServer');

/** A reload by signal (SIGHUP, `customs-hub reload`): the OS user the hub runs as is all that is known. */
function signalActor(): Actor {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    /* no passwd entry */
  }
  return { ...HUB_ACTOR, subject: user, role: 'local-admin', client: 'signal', source: `local@${hostname()}` };
}

/** One checkpoint's hub: starts and stops everything in order, and applies config reloads. */
@injectable()
export class Hub {
  private simulators: RunningSimulator[] = [];
  private started = false;
  /** Broker delivery of the feed (null without `outbox.nats` or `outbox.mqtt`); each of `delivery.outboxes` has `backlog()`. */
  delivery: Awaited<ReturnType<typeof startOutbox>> = null;
  /** What the centre sends this checkpoint over NATS (null unless `outbox.nats.downlink`). */
  downlink: Downlink | null = null;
  private stopping: Promise<void> | null = null;
  private starting: Promise<void> | null = null;
  private traffic: LiveTraffic | null = null;
  /** The lane twin (config `twin:`), driving its lanes' simulators; started once the API listens. */
  twin: RunningTwin | null = null;
  private drivenSimulators = new Map<string, RunningSimulator>();
  /** Retention's pruner and the disk watcher. */
  lifecycle: DataLifecycle | null = null;

  constructor(
    @inject(Tokens.Config) private config: HubConfig,
    @inject(Tokens.Logger) readonly logger: Logger,
    @inject(Tokens.Database) readonly db: Database,
    @inject(Tokens.Writer) readonly writer: GroupCommitWriter,
    @inject(Tokens.Plugins) readonly plugins: PluginRegistry,
    @inject(Tokens.Devices) readonly devices: DeviceManager,
    @inject(HTTP_SERVER) readonly http: Server,
    @inject(Tokens.Cases) readonly cases: CaseModule,
    @inject(Tokens.Metrics) readonly metrics: HubMetrics,
    @inject(Tokens.Pipeline) private readonly pipeline: ObservationPipeline,
    @inject(Tokens.FeedReader) private readonly feed: FeedReader,
    @inject(Tokens.HubLock) private readonly lock: HubLock,
    @inject(Tokens.Audit) readonly audit: AuditModule,
    @inject(Tokens.Errors) private readonly errors: SwallowedErrors,
  ) {}

  get currentConfig(): HubConfig {
    return this.config;
  }

  /**
   * Starts everything in order. The HTTP listener comes up first, answering /health/live at once and
   * /health/ready with 503 until the last step; any other request gets 503 "starting" until then. A stop()
   * during start ends the start at its next step (case recovery included) and then stops what was started.
   */
  start(options: { listen?: boolean } = {}): Promise<void> {
    this.starting ??= this.doStart(options);
    return this.starting;
  }

  private async doStart(options: { listen?: boolean }): Promise<void> {
    for (const r of this.plugins.refused) this.logger.error({ source: r.source, reason: r.reason }, 'plugin refused');
    registerHealthRoutes(this.http, { ready: () => this.readiness() });
    this.http.ext('onRequest', (request, h) => {
      if (this.started || request.path.startsWith('/health/')) return h.continue;
      return h.response({ statusCode: 503, error: 'Service Unavailable', message: 'the hub is starting' }).code(503).header('retry-after', '1').takeover();
    });
    if (options.listen !== false) await this.http.start();
    else await this.http.initialize();
    const steps: Array<[string, () => Promise<void> | void]> = [
      [
        'storage',
        async () => {
          await this.writer.init();
          this.lifecycle = createDataLifecycle({ db: this.db, writer: this.writer, config: () => this.config, logger: this.logger, metrics: this.metrics });
          for (const c of this.lifecycle.components) await c.start();
        },
      ],
      [
        'api',
        () =>
          registerApi(this.http, {
            config: this.config,
            currentConfig: () => this.config,
            db: this.db,
            writer: this.writer,
            feed: this.feed,
            devices: this.devices,
            logger: this.logger,
            auth: this.audit.authOptions(),
          }),
      ],
      ['audit', () => this.audit.start(this.http)],
      [
        'delivery',
        async () => {
          this.delivery = await startOutbox(this.config.outbox, this.config.checkpoint.id, {
            db: this.db,
            reader: this.feed,
            writer: this.writer,
            logger: this.logger,
            errors: this.errors,
          });
          this.downlink = await startDownlink(this.config, {
            db: this.db,
            declarations: this.cases.declarations,
            audit: this.cases.audit,
            risk: this.cases.risk,
            watchlists: this.cases.watchlists,
            logger: this.logger,
            errors: this.errors,
          });
          watchHubServices(this.metrics, { outboxes: this.delivery?.outboxes ?? [], scoring: this.cases.stage, risk: this.cases.risk });
        },
      ],
      [
        'console',
        async () => {
          await registerConsoleRoutes(this.http);
          registerMetricsRoutes(this.http, this.metrics, this.logger);
          registerRequestLog(this.http, this.logger, this.metrics);
        },
      ],
      [
        'simulators',
        async () => {
          const simulators = await startSimulators(this.config, this.plugins, this.logger);
          this.simulators = simulators.running;
          this.drivenSimulators = simulators.byDevice;
        },
      ],
      ['devices', () => this.devices.start()],
      ['cases', () => this.cases.start(this.http, () => this.config)],
      [
        'traffic',
        () => {
          if (!this.config.demoTraffic) return;
          this.traffic = new LiveTraffic(this.config.demoTraffic, this.pipeline, this.cases.declarations, this.logger);
          this.traffic.start();
        },
      ],
      [
        'twin',
        async () => {
          if (this.config.twin && options.listen !== false)
            this.twin = await startLaneTwin(this.config, this.drivenSimulators, this.localUrl(), this.db, this.logger, {}, this.errors, (id) =>
              ['online', 'degraded'].includes(this.devices.status(id)?.state ?? ''),
            );
        },
      ],
    ];
    const took: Record<string, number> = {};
    for (const [name, step] of steps) {
      if (this.stopping) {
        this.logger.info({ step: name }, 'stop requested during start: start ends here');
        return;
      }
      const t0 = performance.now();
      try {
        await step();
        took[name] = Math.round(performance.now() - t0);
      } catch (err) {
        throw new Error(`hub start failed at ${name}: ${(err as Error).message}`, { cause: err });
      }
    }
    if (this.stopping) return;
    this.writeRunFiles();
    this.started = true;
    this.logger.info({ checkpoint: this.config.checkpoint.id, devices: this.config.devices.length, url: this.http.info.uri, stepsMs: took }, 'hub started');
  }

  /** Stops drivers, commits every pending write, then closes storage. Safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  /**
   * Validates the config file again and, unless dryRun, applies it. An invalid file changes nothing. The
   * reload and each device's admin state change (maintenance, disabled: the admin lock) are audited, as is a
   * refused reload; `by` is who asked (a signal carries no identity: the hub's OS user).
   */
  async reload(options: { dryRun?: boolean; file?: string; by?: Actor } = {}): Promise<{ diff: ConfigDiff; summary: string; applied: boolean }> {
    const file = options.file ?? this.config.file;
    if (!file) throw new Error('the hub was not started from a config file');
    const by = options.by ?? signalActor();
    let next: HubConfig;
    try {
      const loaded = loadConfigFile(file);
      checkDeviceConfigs(loaded.config, this.plugins, loaded.source);
      next = loaded.config;
    } catch (err) {
      if (!options.dryRun)
        await this.audit
          .record({
            actor: by,
            action: 'config.reload-refused',
            object: { type: 'config', id: this.config.checkpoint.id },
            details: { file, error: (err as Error).message.slice(0, 2000) },
          })
          .catch(this.errors.ignore('audit.reload-refused', { file }, 'refused reload not recorded in the audit log'));
      throw err;
    }
    const diff = diffConfig(this.config, next);
    const summary = describeDiff(diff);
    if (options.dryRun) return { diff, summary, applied: false };
    this.logger.info({ added: diff.added, changed: diff.changed, removed: diff.removed, needsRestart: diff.needsRestart }, 'applying config reload');
    const adminBefore = new Map(this.config.devices.map((d) => [d.id, d.adminState]));
    await this.devices.reload(next);
    const entries = [
      {
        actor: by,
        action: 'config.reloaded',
        object: { type: 'config', id: this.config.checkpoint.id },
        before: null,
        after: { added: diff.added, changed: diff.changed, removed: diff.removed },
        details: { file, needsRestart: diff.needsRestart },
      },
      ...next.devices
        .filter((d) => adminBefore.has(d.id) && adminBefore.get(d.id) !== d.adminState)
        .map((d) => ({
          actor: by,
          action: 'device.admin-state',
          object: { type: 'device', id: d.id },
          before: { adminState: adminBefore.get(d.id) },
          after: { adminState: d.adminState },
        })),
    ];
    this.config = { ...next, storage: this.config.storage, http: this.config.http, dataDir: this.config.dataDir, retention: this.config.retention };
    // the correlator waits for the lanes' devices of the new file, not those it started with
    await this.cases.reconfigure(next);
    // A `model promote` or `retire` from the command line wrote to storage only: a reload re-reads the models.
    await this.cases.risk.reload();
    await this.audit.record(entries);
    this.writeRunFiles();
    return { diff, summary, applied: true };
  }

  async readiness(): Promise<{ ok: boolean; checks: Record<string, string>; degraded: string[] }> {
    const checks: Record<string, string> = {};
    try {
      await this.db.knex.raw('select 1');
      checks.storage = this.writer.stats.failures > 0 && this.writer.pending > 0 ? 'failing writes' : 'writable';
    } catch (err) {
      checks.storage = `unreachable: ${(err as Error).message}`;
    }
    checks.plugins = this.started ? 'started' : 'starting';
    const disk = this.lifecycle?.disk.reason() ?? null;
    checks.disk = disk ?? 'ok';
    return { ok: checks.storage === 'writable' && this.started && !this.stopping, checks, degraded: disk ? [disk] : [] };
  }

  private async doStop(): Promise<void> {
    this.logger.info('hub stopping');
    // A start in progress ends at its next step; then whatever it started is stopped below.
    this.cases.interrupt();
    await this.starting?.catch(() => undefined);
    this.traffic?.stop();
    await this.twin?.stop();
    await this.devices.stop();
    await this.cases.stop();
    for (const c of [...(this.lifecycle?.components ?? [])].reverse()) await c.stop();
    await this.audit.stop();
    await this.writer.close();
    await this.http.stop({ timeout: 5000 });
    await Promise.allSettled(this.simulators.map((s) => s.stop()));
    await this.downlink?.stop();
    this.downlink = null;
    await this.delivery?.stop();
    await this.db.close();
    rmSync(join(this.config.dataDir, 'hub.pid'), { force: true });
    await this.lock.release();
    this.logger.info({ sequence: this.writer.sequence }, 'hub stopped');
  }

  /** The API as this process reaches it (a wildcard listen address is reached on loopback). */
  private localUrl(): string {
    const { host, port, protocol } = this.http.info;
    const h = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    return `${protocol}://${h}:${port}`;
  }

  private writeRunFiles(): void {
    mkdirSync(this.config.dataDir, { recursive: true });
    writeFileSync(join(this.config.dataDir, 'hub.pid'), String(process.pid));
    writeFileSync(join(this.config.dataDir, 'running-config.json'), JSON.stringify(this.config, null, 2));
  }
}
