import type { DeviceConfig, HubConfig } from './types.js';

export interface ConfigDiff {
  added: string[];
  removed: string[];
  changed: string[];
  unchanged: string[];
  /** Settings that only take effect after a restart of the hub. */
  needsRestart: string[];
}

function deviceKey(d: DeviceConfig): string {
  const { origin: _o, pointer: _p, ...rest } = d;
  return JSON.stringify(rest);
}

/** What applying `next` over `current` would do, device by device. */
export function diffConfig(current: HubConfig, next: HubConfig): ConfigDiff {
  const before = new Map(current.devices.map((d) => [d.id, d]));
  const after = new Map(next.devices.map((d) => [d.id, d]));
  const diff: ConfigDiff = { added: [], removed: [], changed: [], unchanged: [], needsRestart: [] };
  for (const [id, d] of after) {
    const old = before.get(id);
    if (!old) diff.added.push(id);
    else if (deviceKey(old) !== deviceKey(d)) diff.changed.push(id);
    else diff.unchanged.push(id);
  }
  for (const id of before.keys()) if (!after.has(id)) diff.removed.push(id);
  for (const key of [
    'checkpoint',
    'dataDir',
    'storage',
    'http',
    'plugins',
    'simulators',
    'api',
    'outbox',
    'scoring',
    'demoTraffic',
    'twin',
    'retention',
  ] as const) {
    if (JSON.stringify(current[key]) !== JSON.stringify(next[key])) diff.needsRestart.push(key);
  }
  return diff;
}

export function describeDiff(d: ConfigDiff): string {
  const lines = [
    `devices to start: ${d.added.join(', ') || 'none'}`,
    `devices to restart: ${d.changed.join(', ') || 'none'}`,
    `devices to stop: ${d.removed.join(', ') || 'none'}`,
    `devices unchanged: ${d.unchanged.length}`,
  ];
  if (d.needsRestart.length > 0) lines.push(`changed settings that need a hub restart (not applied): ${d.needsRestart.join(', ')}`);
  return lines.join('\n');
}
