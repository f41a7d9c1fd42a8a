import { join } from 'node:path';
import type { DeviceStatus, EmitReceipt, FileResult, ObservationDraft, ReceivedFile } from '@customs-hub/sdk';
import type { DeviceConfig, HubConfig } from '../config/types.js';
import type { ObservationPipeline, EmitSource, PipelineListener } from '../pipeline/observation-pipeline.js';
import type { DeviceGroup, GroupDeps } from '../plugins/device-group.js';
import type { DeviceSpec } from '../plugins/device-spec.js';
import { InProcessGroup } from '../plugins/in-process-group.js';
import type { PluginRegistry } from '../plugins/plugin-registry.js';
import { WorkerGroup } from '../plugins/worker-group.js';
import type { Logger } from '../util/logger.js';
import type { SwallowedErrors } from '../util/swallowed-errors.js';
import { DeviceStatusTracker } from './status-tracker.js';
import { StatusThrottle } from './status-throttle.js';
import type { DeviceStatusStore } from './status-store.js';

/**
 * Owns the checkpoint's devices: their status state machines, the groups that run their drivers,
 * recovery probes for offline devices, and applying a reloaded config group by group.
 */
export class DeviceManager {
  private readonly trackers = new Map<string, DeviceStatusTracker>();
  private readonly groups = new Map<string, { group: DeviceGroup; key: string }>();
  private probeTimer: NodeJS.Timeout | null = null;
  private stored = new Map<string, DeviceStatus>();

  constructor(
    private config: HubConfig,
    private readonly plugins: PluginRegistry,
    private readonly pipeline: ObservationPipeline,
    private readonly statuses: DeviceStatusStore,
    private readonly logger: Logger,
    private readonly errors?: SwallowedErrors,
  ) {}

  /** The pipeline's outcomes move the devices' status (a stored reading) and counters; bootstrap subscribes it. */
  readonly pipelineListener: PipelineListener = {
    outcome: (deviceId, _kind, outcome, reading) => {
      const t = this.trackers.get(deviceId);
      if (t && outcome === 'accepted' && reading) t.goodReading();
      if (t) t.setCounters({ ...this.pipeline.counters.get(deviceId) });
    },
  };

  get all(): DeviceStatus[] {
    return [...this.trackers.values()].map((t) => t.current);
  }
  status(deviceId: string): DeviceStatus | undefined {
    return this.trackers.get(deviceId)?.current;
  }

  async start(): Promise<void> {
    this.stored = await this.statuses.load();
    await this.apply(this.config.devices);
    this.probeTimer = setInterval(() => void this.probe(), this.config.supervisor.probeIntervalMs);
    this.probeTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.probeTimer) clearInterval(this.probeTimer);
    await Promise.allSettled([...this.groups.values()].map((g) => g.group.stop()));
    this.groups.clear();
  }

  /** Applies a new config: groups whose devices changed restart, unchanged ones keep running. */
  async reload(next: HubConfig): Promise<void> {
    this.config = next;
    await this.apply(next.devices);
  }

  async acceptFile(deviceId: string, file: ReceivedFile): Promise<FileResult> {
    const entry = [...this.groups.values()].find((g) => g.group.devices.some((d) => d.id === deviceId));
    if (!entry) throw new Error(`device ${deviceId} is not running`);
    return entry.group.acceptFile(deviceId, file);
  }

  /** For the pipeline benchmark and tests: emit as a device would. */
  emit(source: EmitSource, draft: ObservationDraft): Promise<EmitReceipt> {
    return this.pipeline.emit(source, draft);
  }

  private async apply(devices: DeviceConfig[]): Promise<void> {
    const wanted = new Map<string, { specs: DeviceSpec[]; isolation: DeviceConfig['isolation'] }>();
    for (const d of devices) {
      const tracker = this.trackerFor(d);
      tracker.setAdminState(d.adminState);
      if (d.adminState === 'disabled') {
        tracker.stopped('disabled in config');
        continue;
      }
      const plugin = this.plugins.get(d.plugin);
      if (!plugin) {
        tracker.fault(this.plugins.whyMissing(d.plugin), 'PLUGIN_UNAVAILABLE');
        continue;
      }
      const spec: DeviceSpec = {
        id: d.id,
        checkpoint: this.config.checkpoint.id,
        lane: d.lane,
        plugin: { name: plugin.name, version: plugin.version, kinds: [...plugin.kinds] },
        modulePath: plugin.modulePath,
        config: d.config,
        dataDir: join(this.config.dataDir, 'devices', d.id),
        rawMinFreeBytes: this.config.retention.disk.criticalFreeBytes,
      };
      const key = `${d.isolation}:${d.group}`;
      const g = wanted.get(key) ?? { specs: [], isolation: d.isolation };
      g.specs.push(spec);
      wanted.set(key, g);
    }
    const stops: Promise<void>[] = [];
    for (const [key, entry] of this.groups) {
      const next = wanted.get(key);
      if (!next || JSON.stringify(next.specs) !== entry.key) {
        this.groups.delete(key);
        stops.push(entry.group.stop());
      }
    }
    await Promise.allSettled(stops);
    const starts: Promise<void>[] = [];
    for (const [key, { specs, isolation }] of wanted) {
      if (this.groups.has(key)) continue;
      const group = isolation === 'in-process' ? new InProcessGroup(key, specs, this.deps()) : new WorkerGroup(key, specs, this.deps());
      this.groups.set(key, { group, key: JSON.stringify(specs) });
      for (const s of specs) {
        const t = this.trackers.get(s.id)!;
        if (t.state === 'stopped') t.restarting();
      }
      starts.push(
        group.start().catch((err) => {
          for (const s of specs) this.trackers.get(s.id)!.fault(`cannot start: ${(err as Error).message}`, 'START_FAILED');
        }),
      );
    }
    await Promise.all(starts);
    const ids = new Set(devices.map((d) => d.id));
    for (const [id, t] of this.trackers)
      if (!ids.has(id)) {
        t.stopped('removed from config');
        this.trackers.delete(id);
      }
  }

  private trackerFor(d: DeviceConfig): DeviceStatusTracker {
    let t = this.trackers.get(d.id);
    if (t) return t;
    // A flapping device must not flood the feed with status events: changes beyond a budget are folded.
    const throttle = new StatusThrottle((status, previous) => {
      if (status.state !== previous) this.logger.info({ device: status.deviceId, from: previous, to: status.state, reason: status.reason }, 'device status');
      this.statuses.publish(status);
    });
    t = new DeviceStatusTracker(
      { id: d.id, checkpoint: this.config.checkpoint.id, lane: d.lane, plugin: d.plugin, adminState: d.adminState },
      { offlineAfterFailures: this.config.supervisor.offlineAfterFailures },
      (status, previous) => throttle.change(status, previous),
    );
    const before = this.stored.get(d.id);
    if (before) t.restore(before);
    this.trackers.set(d.id, t);
    this.statuses.publish(t.current);
    return t;
  }

  private deps(): GroupDeps {
    return {
      emit: (source, draft) => this.pipeline.emit(source, draft),
      // A device removed by a reload may still report while its worker winds down.
      tracker: (id) =>
        this.trackers.get(id) ??
        new DeviceStatusTracker({ id, checkpoint: '-', lane: null, plugin: '-', adminState: 'enabled' }, { offlineAfterFailures: 1 }, () => undefined),
      logger: this.logger,
      ...(this.errors ? { errors: this.errors } : {}),
      supervisor: this.config.supervisor,
      rawDir: join(this.config.dataDir, 'raw'),
    };
  }

  /** Recovery probes: ask offline devices' drivers whether the device answers again. */
  private async probe(): Promise<void> {
    for (const { group } of this.groups.values()) {
      for (const d of group.devices) {
        const t = this.trackers.get(d.id);
        if (t?.state !== 'offline') continue;
        try {
          const h = await group.health(d.id);
          if (h?.ok) t.ok(`recovery probe passed${h.detail ? `: ${h.detail}` : ''}`);
        } catch (err) {
          this.logger.debug({ device: d.id, err: (err as Error).message }, 'recovery probe failed');
        }
      }
    }
  }
}
