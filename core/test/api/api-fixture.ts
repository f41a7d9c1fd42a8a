import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Server } from '@hapi/hapi';
import type { DeviceStatus, Observation, ReceivedFile } from '@customs-hub/sdk';
import { createHttpServer } from '../../src/api/http-server.js';
import { registerHealthRoutes } from '../../src/api/health-routes.js';
import { registerApi } from '../../src/api/register-api.js';
import type { Scope } from '../../src/auth/scopes.js';
import type { TokenStore } from '../../src/auth/token-store.js';
import { parseConfig } from '../../src/config/load-config.js';
import type { HubConfig } from '../../src/config/types.js';
import type { DeviceManager } from '../../src/devices/device-manager.js';
import { newId } from '../../src/pipeline/ids.js';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { FeedReader } from '../../src/storage/feed-reader.js';
import { GroupCommitWriter } from '../../src/storage/group-commit-writer.js';
import { createLogger } from '../../src/util/logger.js';

export interface ApiFixture {
  server: Server;
  db: Database;
  writer: GroupCommitWriter;
  tokens: TokenStore;
  config: HubConfig;
  dir: string;
  files: Array<{ deviceId: string; file: ReceivedFile }>;
  /** A token with the given scopes, as an Authorization header. */
  auth(...scopes: Scope[]): Promise<{ authorization: string }>;
  close(): Promise<void>;
}

const CONFIG = `checkpoint: { id: CP1 }
lanes:
  - id: L1
    devices:
      - { id: rpm-1, plugin: rpm, config: { host: 10.0.0.5, password: hunter2 } }
      - { id: n42-1, plugin: n42 }
`;

/** A hub's HTTP API over a real SQLite database, with a stand-in device manager that records uploads. */
export async function apiFixture(extraYaml = '', options: { rejectFiles?: string; storageUrl?: string } = {}): Promise<ApiFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'hub-api-'));
  const config = parseConfig(`dataDir: ${dir}\nhttp: { port: 0 }\nlogging: { level: silent }\n${CONFIG}${extraYaml}`, join(dir, 'test.yaml'), {}).config;
  const db = await openDatabase(options.storageUrl ?? `sqlite:${join(dir, 'hub.db')}`);
  const writer = new GroupCommitWriter(db, 'CP1', { maxRows: 500, maxDelayMs: 0, queueLimit: 100000 });
  await writer.init();
  const files: ApiFixture['files'] = [];
  const statuses: DeviceStatus[] = config.devices.map(
    (d) =>
      ({
        schema: 'device-status/v1',
        deviceId: d.id,
        checkpoint: 'CP1',
        lane: d.lane,
        plugin: d.plugin,
        state: 'online',
        adminState: 'enabled',
        since: new Date(0).toISOString(),
        updatedAt: new Date(0).toISOString(),
        counters: { accepted: 0, rejected: 0, duplicates: 0 },
      }) as unknown as DeviceStatus,
  );
  const devices = {
    get all() {
      return statuses;
    },
    status: (id: string) => statuses.find((s) => s.deviceId === id),
    acceptFile: async (deviceId: string, file: ReceivedFile) => {
      if (options.rejectFiles) throw Object.assign(new Error(options.rejectFiles), { code: 'INPUT_REJECTED', reason: options.rejectFiles });
      files.push({ deviceId, file });
      return { observations: 1 };
    },
  } as unknown as DeviceManager;
  const server = createHttpServer(config);
  const logger = createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));
  registerHealthRoutes(server, { ready: async () => ({ ok: true, checks: { storage: 'writable' } }) });
  const { tokens } = registerApi(server, { config, db, writer, feed: new FeedReader(db, 'CP1'), devices, logger });
  await server.initialize();
  return {
    server,
    db,
    writer,
    tokens,
    config,
    dir,
    files,
    auth: async (...scopes) => ({ authorization: `Bearer ${(await tokens.create(`t-${scopes.join('-') || 'none'}`, scopes)).token}` }),
    close: async () => {
      await server.stop({ timeout: 100 });
      await writer.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function observation(n: number, overrides: Partial<Observation> = {}): Observation {
  return {
    schema: 'observation/v1',
    id: newId(),
    seq: 0,
    checkpoint: 'CP1',
    lane: 'L1',
    deviceId: 'rpm-1',
    plugin: { name: 'rpm', version: '1.0.0' },
    kind: 'weight',
    deviceTime: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    receivedAt: new Date().toISOString(),
    conveyance: { containers: [{ number: 'CSQU3054383', valid: true }], plates: [] },
    alarms: [],
    quality: { status: 'good' },
    payload: { grossKg: 1000 + n, stable: true },
    ...overrides,
  } as Observation;
}

export async function writeObservations(writer: GroupCommitWriter, count: number, overrides: Partial<Observation> = {}): Promise<number[]> {
  const results = await Promise.all(Array.from({ length: count }, (_, i) => writer.write({ type: 'observation', observation: observation(i, overrides) })));
  return results.map((r) => r.seq);
}

export async function writeEvents(writer: GroupCommitWriter, count: number, type = 'customs.device.status.v1'): Promise<number[]> {
  const results = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      writer.write({
        type: 'event',
        event: { id: newId(), type, subject: 'rpm-1', time: new Date().toISOString(), data: { n: i } },
      }),
    ),
  );
  return results.map((r) => r.seq);
}
