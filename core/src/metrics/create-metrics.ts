import type { DeviceManager } from '../devices/device-manager.js';
import type { Outbox } from '../outbox/outbox.js';
import type { ScoringStage } from '../scoring/scoring-stage.js';
import type { DeclarationRiskService } from '../risk-model/risk-service.js';
import type { ObservationPipeline } from '../pipeline/observation-pipeline.js';
import type { GroupCommitWriter } from '../storage/group-commit-writer.js';
import type { SwallowedErrors } from '../util/swallowed-errors.js';
import { HubMetrics } from './hub-metrics.js';
import { pipelineMetrics } from './pipeline-metrics.js';

/** The hub's metrics, wired to the services they read and the pipeline they listen to. */
export function createHubMetrics(
  checkpoint: string,
  s: { writer: GroupCommitWriter; devices: DeviceManager; pipeline: ObservationPipeline; errors: SwallowedErrors },
): HubMetrics {
  const metrics = new HubMetrics(checkpoint, {
    devices: () => s.devices.all,
    writer: () => ({ sequence: s.writer.sequence, pending: s.writer.pending, ...s.writer.stats }),
    swallowed: () => s.errors.counts,
  });
  s.pipeline.subscribe(pipelineMetrics(metrics));
  return metrics;
}

/** Services started later than the metrics: the broker outbox (its backlog) and the scoring stage (scorer durations). */
export function watchHubServices(metrics: HubMetrics, s: { outboxes: Outbox[]; scoring: ScoringStage; risk?: DeclarationRiskService }): void {
  const risk = s.risk;
  if (risk) {
    metrics.watchModelDrift(() =>
      (['live', 'shadow'] as const).flatMap((status) => {
        const m = risk.models[status];
        return m ? [{ model: m.id, status, psi: risk.scoreDrift(status) }] : [];
      }),
    );
  }
  if (s.outboxes.length > 0) metrics.addBacklogSource('outbox', () => Object.fromEntries(s.outboxes.map((o) => [o.status().target, o.backlog()])));
  s.scoring.onRun = (scorer, seconds, ok) => metrics.scorer(scorer, seconds, ok ? 'ok' : 'error');
}
