/** Names of the national NATS scheme, in one place: docs/national-network.md explains them. */

/** A JetStream domain or stream token from a checkpoint id (letters, digits, `_` and `-` only). */
export function token(checkpoint: string): string {
  return checkpoint.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** The JetStream domain of a checkpoint's leaf node. */
export const edgeDomain = (checkpoint: string): string => `cp-${token(checkpoint)}`;

/** The domain of the central cluster. */
export const CENTRAL_DOMAIN = 'central';

/** The stream on the central cluster that holds what goes down to checkpoints: `down.<checkpoint>.<type>`. */
export const DOWN_STREAM = 'DOWNLINK';

/** The edge copy of a checkpoint's downlink, on its leaf node: applied from there even while the uplink is down. */
export const edgeDownStream = (checkpoint: string): string => `DOWNLINK_${token(checkpoint)}`;

/** Subject of one message for a checkpoint from the centre. */
export const downSubject = (checkpoint: string, type: string): string => `down.${token(checkpoint)}.${type}`;

/** The JetStream API prefix of a domain, as seen across leaf nodes. */
export const domainApi = (domain: string): string => `$JS.${domain}.API`;

/** A checkpoint's national stream on the central cluster: the mirror of its edge stream. */
export const nationalMirrorName = (checkpoint: string): string => `NATIONAL_${token(checkpoint)}`;
