import type { BufferPolicy } from './outbox-config.js';

export type BufferState = 'ok' | 'alarm' | 'full';

/** Where the unacknowledged backlog stands against its limits (events and age of the oldest). */
export function bufferState(backlog: number, oldestAgeMs: number, policy: BufferPolicy): BufferState {
  if (backlog >= policy.maxEvents || oldestAgeMs >= policy.maxAgeMs) return 'full';
  if (backlog >= policy.maxEvents * policy.alarmAt || oldestAgeMs >= policy.maxAgeMs * policy.alarmAt) return 'alarm';
  return 'ok';
}
