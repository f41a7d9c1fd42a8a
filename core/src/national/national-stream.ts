import { nanos, RetentionPolicy, StorageType, type JetStreamManager, type StreamSource } from 'nats';
import { defaultStreamName } from '../outbox/outbox-config.js';
import { domainApi, edgeDomain, nationalMirrorName } from './nats-names.js';

export interface EdgeStream {
  checkpoint: string;
  /** The checkpoint hub's outbox stream on its leaf node (default CUSTOMS_<checkpoint>). */
  stream?: string;
  /** The leaf node's JetStream domain (default cp-<checkpoint>). */
  domain?: string;
}

export interface NationalStreamOptions {
  replicas?: number;
  maxAgeDays?: number;
}

export function edgeSource(e: EdgeStream): StreamSource {
  return { name: e.stream ?? defaultStreamName(e.checkpoint), external: { api: domainApi(e.domain ?? edgeDomain(e.checkpoint)), deliver: '' } } as StreamSource;
}

/**
 * The national copy of one checkpoint's edge stream: a replicated mirror on the central cluster, across the leaf
 * domain. A mirror keeps the edge stream's sequence and order and resumes from its own position after an outage
 * of any length, so nothing is lost or copied twice. (Not a `sources` aggregate: NATS 2.9 re-checks the hub's
 * `Nats-Expected-Stream` / `-Last-Sequence` headers on sourced messages and refuses every one; mirrors store
 * them as they are.) Idempotent: adding a checkpoint is calling it for the new one.
 */
export async function ensureCheckpointMirror(
  jsm: JetStreamManager,
  e: EdgeStream,
  options: NationalStreamOptions = {},
): Promise<{ name: string; created: boolean }> {
  const name = nationalMirrorName(e.checkpoint);
  try {
    await jsm.streams.info(name);
    return { name, created: false };
  } catch (err) {
    if (!/stream not found/i.test((err as Error).message)) throw err;
  }
  await jsm.streams.add({
    name,
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    num_replicas: options.replicas ?? 3,
    ...(options.maxAgeDays ? { max_age: nanos(options.maxAgeDays * 86_400_000) } : {}),
    mirror: edgeSource(e),
  });
  return { name, created: true };
}

/** The national streams the central cluster holds, one per checkpoint. */
export async function listNationalStreams(jsm: JetStreamManager): Promise<string[]> {
  const names: string[] = [];
  for await (const s of jsm.streams.list()) if (s.config.name.startsWith('NATIONAL_')) names.push(s.config.name);
  return names.sort();
}
