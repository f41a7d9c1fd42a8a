import { isLinkTelemetry, ObservationRejectedError } from '@customs-hub/sdk';
import type { EmitReceipt, ObservationDraft, ObservationKind } from '@customs-hub/sdk';
import type { GroupCommitWriter } from '../storage/group-commit-writer.js';
import type { Logger } from '../util/logger.js';
import type { DeadLetterStore } from './dead-letters.js';
import { DraftCheck } from './draft-check.js';
import { newId } from './ids.js';

/** Who emitted a draft: the device and the plugin that drives it. */
export interface EmitSource {
  deviceId: string;
  lane: string | null;
  plugin: { name: string; version: string };
  kinds: readonly ObservationKind[];
}

export interface PipelineCounters {
  accepted: number;
  rejected: number;
  duplicates: number;
}

export type PipelineOutcome = 'accepted' | 'rejected' | 'duplicate';
export type PipelineStage = 'accept' | 'validate' | 'store';
/** What the pipeline tells its observers (device status, metrics): each outcome and how long each stage took. */
export interface PipelineListener {
  /** `reading` is false for link telemetry and for rejected drafts: only a stored reading shows the device works. */
  outcome?(deviceId: string, kind: string, outcome: PipelineOutcome, reading: boolean): void;
  stage?(stage: PipelineStage, seconds: number): void;
}

/**
 * accept → validate → store → (publish, through the writer's commit listeners).
 * Each stage is a small method; the validator is compiled once.
 */
export class ObservationPipeline {
  private readonly drafts = new DraftCheck();
  readonly counters = new Map<string, PipelineCounters>();
  private readonly listeners: PipelineListener[] = [];

  constructor(
    private readonly checkpoint: string,
    private readonly writer: GroupCommitWriter,
    private readonly deadLetters: DeadLetterStore,
    private readonly logger: Logger,
  ) {}

  /** Adds an observer; returns the function that removes it. */
  subscribe(listener: PipelineListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  async emit(source: EmitSource, draft: ObservationDraft): Promise<EmitReceipt> {
    let t = performance.now();
    const accepted = this.drafts.complete(draft, {
      id: newId(),
      checkpoint: this.checkpoint,
      lane: source.lane,
      deviceId: source.deviceId,
      plugin: source.plugin,
      kinds: source.kinds,
      receivedAt: new Date(),
    });
    t = this.lap('accept', t);
    if (!accepted.ok) return this.reject(source, draft, accepted.reason);
    const observation = accepted.observation;
    const problem = this.drafts.problem(observation);
    t = this.lap('validate', t);
    if (problem !== null) await this.reject(source, draft, problem);
    const result = await this.writer.write({ type: 'observation', observation });
    this.lap('store', t);
    this.count(source.deviceId, result.duplicate ? 'duplicates' : 'accepted');
    this.notify(source.deviceId, observation.kind, result.duplicate ? 'duplicate' : 'accepted', !isLinkTelemetry(observation));
    return result;
  }

  private lap(stage: PipelineStage, since: number): number {
    const now = performance.now();
    for (const l of this.listeners) l.stage?.(stage, (now - since) / 1000);
    return now;
  }

  private notify(deviceId: string, kind: string, outcome: PipelineOutcome, reading: boolean): void {
    for (const l of this.listeners) l.outcome?.(deviceId, kind, outcome, reading);
  }

  private async reject(source: EmitSource, draft: unknown, reason: string): Promise<never> {
    this.count(source.deviceId, 'rejected');
    this.notify(source.deviceId, String((draft as ObservationDraft | null)?.kind ?? 'unknown'), 'rejected', false);
    let deadLetterId: string | undefined;
    try {
      deadLetterId = await this.deadLetters.add({ deviceId: source.deviceId, plugin: source.plugin.name, reason, draft });
    } catch (err) {
      this.logger.error({ device: source.deviceId, err }, 'could not store dead letter');
    }
    this.logger.warn({ device: source.deviceId, plugin: source.plugin.name, reason, deadLetterId }, 'observation rejected');
    throw new ObservationRejectedError(reason, deadLetterId);
  }

  private count(deviceId: string, what: keyof PipelineCounters): void {
    let c = this.counters.get(deviceId);
    if (!c) this.counters.set(deviceId, (c = { accepted: 0, rejected: 0, duplicates: 0 }));
    c[what]++;
  }
}
