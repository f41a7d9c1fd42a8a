import { RetentionPolicy, StorageType, type JetStreamManager, type StreamSource } from 'nats';
import { CENTRAL_DOMAIN, domainApi, DOWN_STREAM, edgeDownStream, token } from './nats-names.js';

/** The centre's stream of what goes down to checkpoints (`down.<checkpoint>.<type>`), three replicas. */
export async function ensureCentralDownlink(jsm: JetStreamManager, replicas = 3): Promise<void> {
  try {
    await jsm.streams.info(DOWN_STREAM);
  } catch (err) {
    if (!/stream not found/i.test((err as Error).message)) throw err;
    await jsm.streams.add({ name: DOWN_STREAM, subjects: ['down.>'], storage: StorageType.File, retention: RetentionPolicy.Limits, num_replicas: replicas });
  }
}

/**
 * A checkpoint's own copy of its part of the centre's downlink, on its leaf node: sourced across the central
 * domain, so it fills while the uplink is up and the hub applies from it while the uplink is down.
 */
export async function ensureEdgeDownlink(jsm: JetStreamManager, checkpoint: string): Promise<string> {
  const name = edgeDownStream(checkpoint);
  try {
    await jsm.streams.info(name);
  } catch (err) {
    if (!/stream not found/i.test((err as Error).message)) throw err;
    const source = {
      name: DOWN_STREAM,
      filter_subject: `down.${token(checkpoint)}.>`,
      external: { api: domainApi(CENTRAL_DOMAIN), deliver: '' },
    } as StreamSource;
    await jsm.streams.add({ name, storage: StorageType.File, retention: RetentionPolicy.Limits, sources: [source] });
  }
  return name;
}
