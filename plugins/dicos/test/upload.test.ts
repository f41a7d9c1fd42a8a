import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { directoryRawStore } from '@customs-hub/sdk/testing';
import { RejectedInputError, type DriverContext, type EmitReceipt, type Logger, type Observation, type ReceivedFile } from '@customs-hub/sdk';
import { plugin } from '../src/index.js';
import type { DicosConfig } from '../src/config.js';
import { SHARED_SAMPLES, tempDir, validated } from './helpers.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

/** A driver context for upload-only use, validating what is emitted and answering duplicates by sourceId. */
function uploadContext(rawDir: string, fail = 0) {
  const stored: Observation[] = [];
  const failures: string[] = [];
  const bySource = new Map<string, EmitReceipt>();
  const controller = new AbortController();
  const ctx: DriverContext<DicosConfig> = {
    device: { id: 'bag-p2', checkpoint: 'TEST', lane: 'P2' },
    config: {},
    logger: silent,
    signal: controller.signal,
    clock: { now: () => new Date(), sleep: () => Promise.resolve() },
    dataDir: tempDir('data'),
    async emit(draft) {
      if (fail-- > 0) throw new Error('storage unavailable');
      const known = draft.sourceId === undefined ? undefined : bySource.get(draft.sourceId);
      if (known) return { ...known, duplicate: true };
      const obs = validated(draft);
      stored.push(obs);
      const receipt = { id: obs.id, seq: stored.length, duplicate: false };
      if (draft.sourceId !== undefined) bySource.set(draft.sourceId, receipt);
      return receipt;
    },
    status: {
      ok() {},
      degraded() {},
      failure: (e) => {
        failures.push(String(e instanceof Error ? e.message : e));
      },
      fault() {},
    },
    storeRaw: directoryRawStore(rawDir),
  };
  return { ctx, stored, failures };
}

/** What the hub's upload route does before calling acceptFile: store the upload, then hand it over. */
async function received(path: string, name: string, rawDir: string): Promise<ReceivedFile> {
  const ref = await directoryRawStore(rawDir)(createReadStream(path), { name });
  return { path, name, sha256: ref.sha256, size: ref.size };
}

describe('dicos: uploads through the hub (acceptFile)', () => {
  it('ingests an uploaded TDR, referencing the stored upload; a second upload is a duplicate', async () => {
    const rawDir = tempDir('raw');
    const { ctx, stored } = uploadContext(rawDir);
    const driver = plugin.createDriver();
    await driver.start(ctx);
    const file = await received(join(SHARED_SAMPLES, 'baggage-tdr-threat.dcs'), 'upload.dcs', rawDir);
    assert.deepEqual(await driver.acceptFile!(file), { observations: 1 });
    assert.deepEqual(await driver.acceptFile!(file), { observations: 0, duplicates: 1 });
    await driver.stop();
    assert.equal(stored.length, 1);
    assert.equal(stored[0]!.kind, 'xray.threat-report');
    assert.deepEqual(stored[0]!.raw, [
      { sha256: file.sha256, key: `sha256/${file.sha256}`, size: file.size, contentType: 'application/dicom', name: 'upload.dcs', role: 'source' },
    ]);
  });

  it('refuses a bad upload with RejectedInputError and the reason', async () => {
    const rawDir = tempDir('raw');
    const { ctx, stored } = uploadContext(rawDir);
    const driver = plugin.createDriver();
    await driver.start(ctx);
    const file = await received(join(__dirname, 'upload.test.js'), 'not-dicos.dcs', rawDir);
    await assert.rejects(
      driver.acceptFile!(file),
      (err: unknown) => err instanceof RejectedInputError && /^not a DICOS file: no 'DICM' marker/.test(err.reason),
    );
    await driver.stop();
    assert.equal(stored.length, 0);
  });

  it('reports a failed emit and rethrows it, so the uploader learns the file was not taken', async () => {
    const rawDir = tempDir('raw');
    const { ctx, stored, failures } = uploadContext(rawDir, 1);
    const driver = plugin.createDriver();
    await driver.start(ctx);
    const file = await received(join(SHARED_SAMPLES, 'dx-for-processing.dcs'), 'dx.dcs', rawDir);
    await assert.rejects(driver.acceptFile!(file), /storage unavailable/);
    assert.deepEqual(failures, ['upload dx.dcs: storage unavailable']);
    assert.deepEqual(await driver.acceptFile!(file), { observations: 1 });
    await driver.stop();
    assert.equal(stored.length, 1);
  });
});
