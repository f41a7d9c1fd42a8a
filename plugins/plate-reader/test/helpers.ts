import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DevicePlugin, Logger, ReceivedFile } from '@customs-hub/sdk';
import { directoryRawStore, TestHarness } from '@customs-hub/sdk/testing';
import { plugin } from '../src/index.js';
import type { PlateReaderConfig } from '../src/config.js';
import type { PlateReaderDriver } from '../src/driver/driver.js';
export { freePort } from '@customs-hub/sdk/testing';

export const quietLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quietLogger };

/** A harness for the plugin that also hands back the driver it created (for acceptFile). */
export function harness(config: PlateReaderConfig): { h: TestHarness<PlateReaderConfig>; driver: () => PlateReaderDriver } {
  let driver: PlateReaderDriver | null = null;
  const wrapped: DevicePlugin<PlateReaderConfig> = { ...plugin, createDriver: () => (driver = plugin.createDriver() as PlateReaderDriver) };
  return { h: new TestHarness(wrapped, { config }), driver: () => driver! };
}

/** What the hub's upload route does before acceptFile: store the body raw, then hand the stored file over. */
export async function upload(h: TestHarness<PlateReaderConfig>, body: string | Buffer, name: string): Promise<ReceivedFile> {
  const path = join(h.dataDir, `upload-${name}`);
  writeFileSync(path, body);
  const ref = await directoryRawStore(join(h.dataDir, 'raw'))(createReadStream(path), { name });
  return { path, name, sha256: ref.sha256, size: ref.size };
}

export function event(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventType: 'NEW',
    eventId: 'cam1-000001',
    time: '2026-12-01T10:15:00.500Z',
    camera: 'anpr-1',
    direction: 'approaching',
    plate: { text: 'AB 123 CD', country: 'F', confidence: 0.94, charConfidence: [0.99, 0.98, 0.97, 0.96, 0.95, 0.94, 0.93] },
    ...over,
  };
}

export function lastStatus(h: TestHarness<unknown>, type?: string): string {
  const list = type ? h.statuses.filter((s) => s.type === type) : h.statuses;
  return list[list.length - 1]?.detail ?? '';
}
