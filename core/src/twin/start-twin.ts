import type { Declaration, RunningSimulator } from '@customs-hub/sdk';
import { asDriven } from './identity-adapters.js';
import { TokenStore } from '../auth/token-store.js';
import type { HubConfig } from '../config/types.js';
import type { Database } from '../storage/database.js';
import type { Logger } from '../util/logger.js';
import { roleOf } from './lane-roles.js';
import { laneKindOf } from './sea-air.js';
import { LaneTwin, type DrivenDevice, type TwinLane } from './lane-twin.js';
import type { SwallowedErrors } from '../util/swallowed-errors.js';

export interface RunningTwin {
  twin: LaneTwin;
  stop(): Promise<void>;
}

/**
 * Starts the lane twin of a config on a listening hub. The twin is a client like any other: it sends
 * declarations through `POST /api/v1/declarations` with a token of its own (declarations:write only),
 * revoked when it stops.
 */
export async function startLaneTwin(
  config: HubConfig,
  simulators: Map<string, RunningSimulator>,
  hubUrl: string,
  db: Database,
  logger: Logger,
  options: ConstructorParameters<typeof LaneTwin>[4] = {},
  errors?: SwallowedErrors,
  online?: (deviceId: string) => boolean,
): Promise<RunningTwin | null> {
  const twinConfig = config.twin;
  if (!twinConfig) return null;
  const pluginOf = new Map(config.devices.map((d) => [d.id, d.plugin]));
  const lanes: TwinLane[] = [];
  for (const id of twinConfig.lanes) {
    const lane = config.lanes.find((l) => l.id === id);
    if (!lane) {
      logger.error({ lane: id }, 'lane twin: no such lane in the config; not driven');
      continue;
    }
    const devices: DrivenDevice[] = [];
    for (const deviceId of lane.devices) {
      const sim = simulators.get(deviceId);
      const plugin = pluginOf.get(deviceId) ?? '';
      const base = roleOf(plugin);
      const role = base && { ...base, atS: base.atS * twinConfig.pace, dwellS: base.dwellS * twinConfig.pace };
      if (!sim) {
        logger.warn({ lane: id, device: deviceId }, 'lane twin: no simulator plays this device (simulators[].device); it sees no twin vehicle');
        continue;
      }
      const driven = asDriven(sim, (err) => logger.warn({ device: deviceId, err: String(err) }, 'lane twin: a reading was not delivered'));
      if (!driven || !role) {
        logger.warn({ lane: id, device: deviceId, plugin }, 'lane twin: this simulator cannot be driven; it sees no twin vehicle');
        continue;
      }
      devices.push({ id: deviceId, plugin, role, sim: driven });
    }
    lanes.push({ id, kind: laneKindOf(lane.type), devices });
  }
  const tokens = new TokenStore(db);
  const { id: tokenId, token } = await tokens.create('lane-twin', ['declarations:write']);
  const declare = async (d: Declaration) => {
    const res = await fetch(`${hubUrl}/api/v1/declarations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(d),
    });
    if (!res.ok) throw new Error(`POST /api/v1/declarations answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  };
  const twin = new LaneTwin(twinConfig, lanes, declare, logger.child({ component: 'lane-twin' }), {
    ...(online ? { ready: () => lanes.every((l) => l.devices.every((d) => online(d.id))) } : {}),
    ...options,
  });
  twin.start();
  return {
    twin,
    stop: async () => {
      twin.stop();
      await tokens.revoke(tokenId).catch((err) => errors?.record('twin.revoke-token', err, { token: tokenId }, "the lane twin's API token was not revoked"));
    },
  };
}
