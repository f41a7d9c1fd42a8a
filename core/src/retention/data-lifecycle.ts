import { join } from 'node:path';
import type { HubConfig } from '../config/types.js';
import type { HubMetrics } from '../metrics/hub-metrics.js';
import type { Database } from '../storage/database.js';
import type { GroupCommitWriter } from '../storage/group-commit-writer.js';
import type { Logger } from '../util/logger.js';
import { DiskWatcher } from './disk-watcher.js';
import { Pruner } from './pruner.js';
import { RetentionMetrics } from './retention-metrics.js';

/** The hub's data lifecycle components: the disk watcher and the pruner it wakes early. */
export interface DataLifecycle {
  pruner: Pruner;
  disk: DiskWatcher;
  components: Array<{ name: string; start(): Promise<void> | void; stop(): Promise<void> }>;
}

export function createDataLifecycle(deps: {
  db: Database;
  writer: GroupCommitWriter;
  config: () => HubConfig;
  logger: Logger;
  metrics?: HubMetrics;
}): DataLifecycle {
  const dataDir = deps.config().dataDir;
  const metrics = deps.metrics ? new RetentionMetrics(deps.metrics.registry) : undefined;
  const logger = deps.logger.child({ component: 'retention' });
  const pruner = new Pruner({ db: deps.db, writer: deps.writer, config: deps.config, rawDir: join(dataDir, 'raw'), logger, metrics });
  const disk = new DiskWatcher({ dir: dataDir, config: deps.config, writer: deps.writer, logger, metrics, onLow: (reason) => pruner.runSoon(reason) });
  return { pruner, disk, components: [disk, pruner] as DataLifecycle['components'] };
}
