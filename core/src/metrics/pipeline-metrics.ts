import type { PipelineListener } from '../pipeline/observation-pipeline.js';
import type { HubMetrics } from './hub-metrics.js';

/** The pipeline's outcomes and stage timings, fed into the hub's metrics. */
export function pipelineMetrics(metrics: HubMetrics): PipelineListener {
  return {
    outcome: (deviceId, kind, outcome) => metrics.observationOutcome(deviceId, kind, outcome),
    stage: (stage, seconds) => metrics.stage(stage, seconds),
  };
}
