import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DeviceState, DeviceStatus } from '@customs-hub/sdk';
import type { PipelineOutcome, PipelineStage } from '../pipeline/observation-pipeline.js';

/** Feed consumers that lag behind the sequence: outbox name → records not yet delivered. */
export type BacklogSource = () => Record<string, number> | Promise<Record<string, number>>;

export interface MetricSources {
  devices(): DeviceStatus[];
  writer(): { sequence: number; pending: number; transactions: number; rows: number; failures: number };
  /** Errors dropped on purpose (logged where they happened), by site. */
  swallowed?(): ReadonlyMap<string, number>;
}

const DEVICE_STATES: readonly DeviceState[] = ['starting', 'online', 'degraded', 'offline', 'faulted', 'stopped'];
// Pipeline stages are sub-millisecond to a group commit of ~100 ms; scorers run longer.
const STAGE_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const SCORER_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The hub's Prometheus metrics, in a registry of its own (never prom-client's global one), so several
 * hubs in one process (tests) never share a series. Counters are pushed by hooks; gauges about devices,
 * storage and outboxes are read from their owners at scrape time.
 */
export class HubMetrics {
  readonly registry = new Registry();
  private readonly backlogSources = new Map<string, BacklogSource>();
  private readonly observations: Counter<'device' | 'kind' | 'outcome'>;
  private readonly stageLatency: Histogram<'stage'>;
  private readonly scorerDuration: Histogram<'scorer' | 'outcome'>;
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor(
    checkpoint: string,
    private readonly sources: MetricSources,
    options: { processMetrics?: boolean } = {},
  ) {
    const r = this.registry;
    r.setDefaultLabels({ checkpoint });
    if (options.processMetrics !== false) collectDefaultMetrics({ register: r, prefix: 'customs_hub_' });
    this.observations = new Counter({
      name: 'customs_hub_observations_total',
      help: 'Observations received, by device, kind and outcome (accepted, rejected, duplicate).',
      labelNames: ['device', 'kind', 'outcome'],
      registers: [r],
    });
    this.stageLatency = new Histogram({
      name: 'customs_hub_pipeline_stage_seconds',
      help: 'Time spent in each pipeline stage per observation (store includes the group commit).',
      labelNames: ['stage'],
      buckets: STAGE_BUCKETS,
      registers: [r],
    });
    this.scorerDuration = new Histogram({
      name: 'customs_hub_scorer_duration_seconds',
      help: 'Time a scorer took for one case, by scorer and outcome (ok, error).',
      labelNames: ['scorer', 'outcome'],
      buckets: SCORER_BUCKETS,
      registers: [r],
    });
    this.httpDuration = new Histogram({
      name: 'customs_hub_http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern and status (SSE streams count when they end).',
      labelNames: ['method', 'route', 'status'],
      buckets: SCORER_BUCKETS,
      registers: [r],
    });
    this.registerScrapeTimeMetrics();
  }

  /** Route is the pattern (/api/v1/cases/{id}), never the path, so the label set stays small. */
  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  observationOutcome(deviceId: string, kind: string, outcome: PipelineOutcome): void {
    this.observations.inc({ device: deviceId, kind, outcome });
  }

  stage(stage: PipelineStage, seconds: number): void {
    this.stageLatency.observe({ stage }, seconds);
  }

  /** For the scoring service: one call per scorer run. */
  scorer(name: string, seconds: number, outcome: 'ok' | 'error' = 'ok'): void {
    this.scorerDuration.observe({ scorer: name, outcome }, seconds);
  }

  /** For the feed outboxes: registers where to read their backlogs; returns the unregister function. */
  /** Drift of the learned declaration-risk models' scores against their training window (PSI), read at scrape time. */
  watchModelDrift(source: () => Array<{ model: string; status: string; psi: number | null }>): void {
    new Gauge({
      name: 'customs_hub_declaration_model_score_psi',
      help: "Population stability index of the learned declaration-risk model's recent scores (last 5,000) against its training window: < 0.1 stable, > 0.25 retrain.",
      labelNames: ['model', 'status'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const d of source()) if (d.psi !== null) this.set({ model: d.model, status: d.status }, d.psi);
      },
    });
  }

  addBacklogSource(name: string, source: BacklogSource): () => void {
    this.backlogSources.set(name, source);
    return () => {
      this.backlogSources.delete(name);
    };
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }
  get contentType(): string {
    return this.registry.contentType;
  }

  private registerScrapeTimeMetrics(): void {
    const r = this.registry;
    const sources = this.sources;
    const backlogSources = this.backlogSources;
    new Gauge({
      name: 'customs_hub_device_status',
      help: 'Device state: 1 for the state the device is in, 0 for the others.',
      labelNames: ['device', 'plugin', 'lane', 'state'],
      registers: [r],
      collect() {
        this.reset();
        for (const d of sources.devices()) {
          for (const s of DEVICE_STATES) this.set({ device: d.deviceId, plugin: d.plugin, lane: d.lane ?? '', state: s }, d.state === s ? 1 : 0);
        }
      },
    });
    new Counter({
      name: 'customs_hub_plugin_restarts_total',
      help: "Restarts of a device's driver (worker crash, hang, out of memory) since the device was first seen.",
      labelNames: ['device', 'plugin'],
      registers: [r],
      collect() {
        this.reset();
        for (const d of sources.devices()) this.inc({ device: d.deviceId, plugin: d.plugin }, d.restarts);
      },
    });
    new Gauge({
      name: 'customs_hub_feed_backlog',
      help: 'Feed records an outbox has not yet delivered.',
      labelNames: ['outbox'],
      registers: [r],
      async collect() {
        this.reset();
        for (const [name, source] of backlogSources) {
          const values = await source();
          for (const [outbox, n] of Object.entries(values)) this.set({ outbox: outbox || name }, n);
        }
      },
    });
    const writerGauge = (name: string, help: string, read: (w: ReturnType<MetricSources['writer']>) => number) =>
      new Gauge({
        name,
        help,
        registers: [r],
        collect() {
          this.set(read(sources.writer()));
        },
      });
    writerGauge('customs_hub_feed_sequence', 'The last feed sequence number committed.', (w) => w.sequence);
    writerGauge('customs_hub_storage_pending_writes', 'Writes queued for the next group commit.', (w) => w.pending);
    const writerCounter = (name: string, help: string, read: (w: ReturnType<MetricSources['writer']>) => number) =>
      new Counter({
        name,
        help,
        registers: [r],
        collect() {
          this.reset();
          this.inc(read(sources.writer()));
        },
      });
    writerCounter('customs_hub_storage_transactions_total', 'Group-commit transactions committed since start.', (w) => w.transactions);
    writerCounter('customs_hub_storage_failed_transactions_total', 'Group-commit transactions that failed since start.', (w) => w.failures);
    new Counter({
      name: 'customs_hub_errors_swallowed_total',
      help: 'Errors dropped on purpose (best-effort cleanup, a failing observer) since start, by site; each is in the log with its context.',
      labelNames: ['site'],
      registers: [r],
      collect() {
        this.reset();
        for (const [site, n] of sources.swallowed?.() ?? []) this.inc({ site }, n);
      },
    });
  }
}
