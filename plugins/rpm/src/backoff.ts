/** Reconnect delay: doubling from initialMs, capped at maxMs (no jitter: one portal, one link). */
export function reconnectDelay(attempt: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
}
