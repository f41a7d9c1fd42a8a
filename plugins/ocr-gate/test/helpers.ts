import { connect } from 'node:net';
import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DevicePlugin, Logger, ReceivedFile } from '@customs-hub/sdk';
import { directoryRawStore, TestHarness } from '@customs-hub/sdk/testing';
import { plugin } from '../src/index.js';
import type { OcrGateConfig } from '../src/config.js';
import type { OcrGateDriver } from '../src/driver/driver.js';
import type { GateReading } from '../src/message/gate-message.js';
export { freePort } from '@customs-hub/sdk/testing';

export const quietLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quietLogger };

/** A valid reading of one container (CSQU3054383), as a gate sends it. */
export function reading(over: Partial<GateReading> = {}): GateReading {
  return {
    type: 'NEW',
    id: 'G1-000001',
    time: '2026-12-01T10:15:00.120Z',
    direction: 'in',
    confidence: 0.97,
    containers: [
      {
        code: 'CSQU3054383',
        confidence: 0.97,
        charConfidence: [0.99, 0.99, 0.98, 0.99, 0.97, 0.97, 0.98, 0.99, 0.96, 0.97, 0.97],
        sizeType: '22G1',
        side: 'left',
        camera: 'cam-left',
      },
    ],
    plates: [{ number: 'B AB 1234', country: 'D', confidence: 0.91 }],
    seals: [],
    images: [],
    ...over,
  };
}

/** A harness for the plugin that also hands back the driver it created (for acceptFile). */
export function harness(config: OcrGateConfig): { h: TestHarness<OcrGateConfig>; driver: () => OcrGateDriver } {
  let driver: OcrGateDriver | null = null;
  const wrapped: DevicePlugin<OcrGateConfig> = { ...plugin, createDriver: () => (driver = plugin.createDriver() as OcrGateDriver) };
  const h = new TestHarness(wrapped, { config });
  return { h, driver: () => driver! };
}

/** What the hub's upload route does before acceptFile: store the body raw, then hand the stored file over. */
export async function upload(h: TestHarness<OcrGateConfig>, body: string | Buffer, name: string): Promise<ReceivedFile> {
  const path = join(h.dataDir, `upload-${name}`);
  writeFileSync(path, body);
  const ref = await directoryRawStore(join(h.dataDir, 'raw'))(createReadStream(path), { name });
  return { path, name, sha256: ref.sha256, size: ref.size };
}

/** Connects, writes the bytes, and closes — one gate connection. */
export function sendOnce(port: number, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => s.end(bytes));
    s.on('error', reject);
    s.on('close', () => resolve());
  });
}

export function lastStatus(h: TestHarness<unknown>, type?: string): string {
  const list = type ? h.statuses.filter((s) => s.type === type) : h.statuses;
  return list[list.length - 1]?.detail ?? '';
}
