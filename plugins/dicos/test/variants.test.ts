import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RejectedInputError, type Logger, type Observation } from '@customs-hub/sdk';
import { directoryRawStore } from '@customs-hub/sdk/testing';
import { plugin } from '../src/index.js';
import { sampleBytes, tagOffset, tempDir, validated } from './helpers.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

async function readBytes(bytes: Buffer, name = 'variant.dcs'): Promise<Observation> {
  const dir = tempDir('variant');
  writeFileSync(join(dir, name), bytes);
  const drafts = await plugin.files!.read({ path: join(dir, name), name }, { storeRaw: directoryRawStore(join(dir, 'raw')), logger: silent });
  return validated(drafts[0]!);
}

/** Overwrites the value of a short-form explicit-VR element found by its tag (same length only). */
function patch(bytes: Buffer, group: number, element: number, value: Buffer | string): Buffer {
  const out = Buffer.from(bytes);
  const at = tagOffset(out, group, element);
  const len = out.readUInt16LE(at + 6);
  const v = typeof value === 'string' ? Buffer.from(value.padEnd(len, ' '), 'latin1') : value;
  assert.equal(v.length, len);
  v.copy(out, at + 8);
  return out;
}

function us(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}

describe('dicos: TDR variants (samples patched in place)', () => {
  it('an ALARM decision raises a device alarm with the number of alarm objects', async () => {
    const obs = await readBytes(patch(sampleBytes('baggage-tdr-threat.dcs'), 0x4010, 0x1031, 'ALARM'));
    assert.equal((obs.payload as Observation<'xray.threat-report'>['payload']).alarmDecision, 'ALARM');
    assert.deepEqual(obs.alarms, [
      { category: 'xray', source: 'device', level: 'alarm', message: 'threat detection alarm: 1 of 1 object(s) alarmed', value: 1 },
    ]);
  });

  it('an aborted detection makes the report bad quality', async () => {
    const obs = await readBytes(patch(sampleBytes('baggage-tdr-no-threat.dcs'), 0x4010, 0x1024, 'ABORT'));
    assert.deepEqual(obs.quality, { status: 'bad', reasons: ['detection aborted'] });
  });

  it('a count of objects that disagrees with the threat sequence makes it uncertain', async () => {
    const obs = await readBytes(patch(sampleBytes('baggage-tdr-threat.dcs'), 0x4010, 0x1033, us(2)));
    assert.deepEqual(obs.quality, { status: 'uncertain', reasons: ['Number of Total Objects is 2 but the Threat Sequence has 1 item(s)'] });
  });

  it('a real object of inspection id becomes the conveyance item id', async () => {
    const obs = await readBytes(patch(sampleBytes('dx-for-processing.dcs'), 0x0010, 0x0020, 'TAG0042'));
    assert.equal(obs.conveyance.itemId, 'TAG0042');
    assert.equal((obs.extensions!.dicos as { objectOfInspectionId: string }).objectOfInspectionId, 'TAG0042');
  });
});

describe('dicos: large images are bounds-checked, not loaded', () => {
  const PIXELS = 3 << 20;

  /** dx-for-processing with its pixel data grown to 3 MiB: beyond the first read of the header. */
  function bigImage(): Buffer {
    const bytes = sampleBytes('dx-for-processing.dcs');
    const at = tagOffset(bytes, 0x7fe0, 0x0010);
    const header = Buffer.from(bytes.subarray(0, at + 12));
    header.writeUInt32LE(PIXELS, at + 8);
    return Buffer.concat([header, Buffer.alloc(PIXELS, 7)]);
  }

  it('reads an image larger than the first read', async () => {
    const big = bigImage();
    const obs = await readBytes(big);
    assert.equal(obs.kind, 'xray.scan');
    assert.equal(obs.raw![0]!.size, big.length);
  });

  it('rejects it when the pixel data is cut short, naming the sizes', async () => {
    const big = bigImage();
    const cut = big.subarray(0, big.length - 1000);
    const offset = big.length - PIXELS;
    await assert.rejects(
      readBytes(cut),
      (err: unknown) =>
        err instanceof RejectedInputError &&
        err.reason === `truncated: pixel data declares ${PIXELS} bytes at offset ${offset}, but the file has ${cut.length} bytes`,
    );
  });
});
