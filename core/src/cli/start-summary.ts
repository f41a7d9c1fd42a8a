import type { HubConfig } from '../config/types.js';

/** The few lines `start` prints: what runs where, for a person at a terminal. */
export function startSummary(config: HubConfig, uri: string, storage: string): string[] {
  const plugin = new Map(config.devices.map((d) => [d.id, d.plugin]));
  const lines = [
    `customs-hub: checkpoint ${config.checkpoint.id} running — ${config.lanes.length} lane(s), ${config.devices.length} device(s), storage ${storage}`,
  ];
  for (const lane of config.lanes) {
    const devices = lane.devices.map((id) => `${id} (${plugin.get(id) ?? '?'})`).join(', ');
    lines.push(`  lane ${lane.id}: ${devices || 'no devices'}`);
  }
  if (config.simulators.length > 0) lines.push(`  simulators: ${config.simulators.map((s) => s.simulator).join(', ')}`);
  lines.push(`  API at ${uri}`, `  console at ${uri}/console`, `  logs at level ${config.logging.level} (logging.level in the config, or HUB_LOG_LEVEL)`);
  return lines;
}
