import { SCHEMA_IDS } from '@customs-hub/sdk';
import { compileModel, completeObservation, createAjv, describeErrors } from '@customs-hub/sdk/runtime';
import type { ObservationDraft, ObservationKind, UnsequencedObservation } from '@customs-hub/sdk';

export interface DraftContext {
  id: string;
  checkpoint: string;
  lane: string | null;
  deviceId: string;
  plugin: { name: string; version: string };
  kinds: readonly ObservationKind[];
  receivedAt: Date;
}

export type DraftVerdict = { ok: true; observation: UnsequencedObservation } | { ok: false; reason: string };

/** The stored observation's schema less `seq`, which only the writer gives: what the validate stage checks. */
function compileUnsequenced(): ReturnType<typeof compileModel<UnsequencedObservation>> {
  const ajv = createAjv();
  const stored = compileModel(ajv, SCHEMA_IDS.observation).schema as { required: string[]; properties: Record<string, unknown> };
  const { seq: _seq, ...properties } = stored.properties;
  const id = SCHEMA_IDS.observation.replace('observation.v1.json', 'observation-unsequenced.v1.json');
  ajv.addSchema({ ...stored, $id: id, required: stored.required.filter((k) => k !== 'seq'), properties });
  return compileModel<UnsequencedObservation>(ajv, id);
}

/**
 * What the hub accepts from a driver, as one pure check: the kind is among the plugin's, the draft completes
 * into an observation, and that observation validates against the data model. The pipeline and
 * `customs-hub inspect` both use it, so a file inspect passes is a file the hub takes.
 */
export class DraftCheck {
  private readonly validate = compileUnsequenced();

  check(draft: ObservationDraft, ctx: DraftContext): DraftVerdict {
    const done = this.complete(draft, ctx);
    if (!done.ok) return done;
    const problem = this.problem(done.observation);
    return problem === null ? done : { ok: false, reason: problem };
  }

  /** The accept stage: kind and shape; the draft becomes an observation with the hub's id and receive time. */
  complete(draft: ObservationDraft, ctx: DraftContext): DraftVerdict {
    if (!draft || typeof draft !== 'object') return { ok: false, reason: 'draft is not an object' };
    if (!ctx.kinds.includes(draft.kind)) {
      return {
        ok: false,
        reason: `kind '${String(draft.kind).slice(0, 60)}' is not among the kinds plugin ${ctx.plugin.name} declares (${ctx.kinds.join(', ')})`,
      };
    }
    let observation: UnsequencedObservation;
    try {
      observation = completeObservation(draft, {
        id: ctx.id,
        checkpoint: ctx.checkpoint,
        lane: ctx.lane,
        deviceId: ctx.deviceId,
        plugin: ctx.plugin,
        receivedAt: ctx.receivedAt,
      });
    } catch (err) {
      return { ok: false, reason: `malformed draft: ${(err as Error).message}` };
    }
    return { ok: true, observation };
  }

  /** The validate stage: the data model's schema, compiled once; null when it validates. */
  problem(observation: UnsequencedObservation): string | null {
    return this.validate(observation) ? null : describeErrors(this.validate.errors);
  }
}
