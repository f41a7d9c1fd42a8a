import type { DeviceState } from '@customs-hub/sdk';

const CHANNEL_TEXT: Record<string, string> = { red: 'RED · inspect', yellow: 'YELLOW · documents', green: 'GREEN · release', blue: 'BLUE · audit' };

/** The selectivity channel; text says it too, colour is never the only cue. */
export function ChannelBadge({ channel, state }: { channel: string | undefined; state?: string }) {
  const c = channel ?? 'none';
  return <span class={`badge channel-${c}`}>{CHANNEL_TEXT[c] ?? (state === 'open' ? 'open · collecting' : 'not scored')}</span>;
}

export function StateBadge({ state }: { state: DeviceState | string }) {
  return <span class={`badge state-${state}`}>{state}</span>;
}
