import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createHub } from '../../src/bootstrap.js';
import { TokenStore } from '../../src/auth/token-store.js';
import { parseConfig } from '../../src/config/load-config.js';
import type { Hub } from '../../src/hub.js';
import { createLogger } from '../../src/util/logger.js';
import { VIRTUAL_PLUGIN } from '../helpers/hub-config.js';
import { DOUBTFUL, WATCHED, watchlistScorer } from './watchlist-scorer.js';
import { freePort } from '@customs-hub/sdk/testing';

export const RPM_PLUGIN = join(VIRTUAL_PLUGIN, '..', 'rpm');
export const XRAY_PLUGIN = join(VIRTUAL_PLUGIN, '..', 'xray-opcua');
/** A driver that cannot start: the console must show it faulted at once. */
export const MISBEHAVING_PLUGIN = join(__dirname, '..', 'fixtures', 'misbehaving.js');

export interface E2eHub {
  hub: Hub;
  url: string;
  token: string;
  tokens: TokenStore;
  tokenId: string;
  stop(): Promise<void>;
}

/** A real hub on 127.0.0.1: one cargo lane with a simulated RPM, OCR and weighbridge, a test scorer, an officer token. */
export async function startE2eHub(): Promise<E2eHub> {
  const dir = mkdtempSync(join(tmpdir(), 'hub-e2e-'));
  const rpmPort = await freePort();
  const [opcuaPort, imagePort] = [await freePort(), await freePort()];
  const yaml = `checkpoint: { id: E2E-01, name: E2E test crossing }
dataDir: ${dir}
http: { host: 127.0.0.1, port: 0 }
logging: { level: silent }
simulators:
  - { plugin: rpm, simulator: rpm, options: { port: ${rpmPort}, vehicleInterval: 6, timeScale: 2, scenario: mixed, seed: 7 } }
  - { plugin: xray-opcua, simulator: xray, options: { port: ${opcuaPort}, httpPort: ${imagePort}, intervalS: 4, imageMb: 2, findingRate: 0.6, invalidRate: 0, lane: CARGO-1 } }
scoring:
  correlation: { windowS: 8, closeAfterS: 3 }
  policy: { randomRate: 0 }
lanes:
  - id: CARGO-1
    name: Cargo lane 1
    type: cargo
    devices:
      - { id: RPM-1, plugin: rpm, config: { host: 127.0.0.1, port: ${rpmPort} } }
      - { id: OCR-1, plugin: virtual, config: { kind: identification, rate: 0.4, containers: [${WATCHED}, ${DOUBTFUL}, YMLU3030933] } }
      - { id: WEIGHT-1, plugin: virtual, config: { kind: weight, rate: 0.4, seed: 3 } }
      - { id: XRAY-1, plugin: xray-opcua, config: { endpointUrl: 'opc.tcp://127.0.0.1:${opcuaPort}' } }
devices:
  - { id: HANDHELD-1, plugin: misbehaving, config: { mode: start-rejects } }
`;
  const { config, source } = parseConfig(yaml, join(dir, 'e2e.yaml'), {});
  const logger = createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));
  const { hub } = await createHub(config, {
    source,
    logger,
    workspaceDir: null,
    pluginPaths: [VIRTUAL_PLUGIN, RPM_PLUGIN, XRAY_PLUGIN, MISBEHAVING_PLUGIN],
    scorers: [watchlistScorer],
  });
  await hub.start();
  const tokens = new TokenStore(hub.db);
  const { id: tokenId, token } = await tokens.create('e2e-officer', [
    'feed:read',
    'observations:read',
    'devices:read',
    'config:read',
    'cases:read',
    'cases:write',
  ]);
  return {
    hub,
    url: hub.http.info.uri,
    token,
    tokens,
    tokenId,
    stop: async () => {
      await hub.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
