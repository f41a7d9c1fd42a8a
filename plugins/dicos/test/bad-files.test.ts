import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RejectedInputError, type FileReadContext, type Logger } from '@customs-hub/sdk';
import { directoryRawStore } from '@customs-hub/sdk/testing';
import { plugin } from '../src/index.js';
import { sampleBytes, tagOffset, tempDir } from './helpers.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

/** Writes bytes to a fresh file and reads it; resolves to the rejection reason. */
async function reasonFor(bytes: Buffer, name = 'bad.dcs'): Promise<string> {
  const dir = tempDir('bad');
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const rawDir = join(dir, 'raw');
  const ctx: FileReadContext = { storeRaw: directoryRawStore(rawDir), logger: silent };
  try {
    await plugin.files!.read({ path, name }, ctx);
  } catch (err) {
    assert.ok(err instanceof RejectedInputError, `expected RejectedInputError, got ${String(err)}`);
    assert.deepEqual(
      readdirSync(dir).filter((n) => n === 'raw'),
      [],
      'a rejected file is not stored by the reader',
    );
    return err.reason;
  }
  throw new Error('the file was accepted');
}

/** Replaces every occurrence of a string of the same length (UIDs sit in the meta group and the data set). */
function replaceAll(bytes: Buffer, from: string, to: string): Buffer {
  assert.equal(from.length, to.length);
  const out = Buffer.from(bytes);
  for (let at = out.indexOf(from, 0, 'latin1'); at >= 0; at = out.indexOf(from, at + 1, 'latin1')) out.write(to, at, 'latin1');
  return out;
}

describe('dicos: bad files are rejected with a reason', () => {
  it('not DICM: a text file', async () => {
    const reason = await reasonFor(Buffer.from('hello, this is not an X-ray image\n'.repeat(10)));
    assert.match(reason, /^not a DICOS file: no 'DICM' marker after the 128-byte preamble \(found 0x[0-9a-f]{8}\)$/);
  });

  it('not DICM: shorter than the preamble', async () => {
    assert.equal(await reasonFor(Buffer.from('DICM')), "not a DICOS file: no 'DICM' marker after the 128-byte preamble (the file has only 4 bytes)");
  });

  it('not DICM: the marker at the wrong offset', async () => {
    const bytes = Buffer.concat([Buffer.alloc(4), sampleBytes('baggage-tdr-no-threat.dcs')]);
    assert.match(await reasonFor(bytes), /no 'DICM' marker/);
  });

  it('the reader does not claim a non-DICM file unless it is named .dcs', () => {
    const head = Buffer.from('<?xml version="1.0"?><RadInstrumentData/>');
    assert.equal(plugin.files!.accepts({ name: 'spectrum.n42', head }), false);
    assert.equal(plugin.files!.accepts({ name: 'BAG.DCS', head }), true);
  });

  it('truncated inside the threat sequence', async () => {
    const bytes = sampleBytes('baggage-tdr-threat.dcs');
    assert.match(await reasonFor(bytes.subarray(0, Math.floor(bytes.length / 2))), /^truncated: the file ends inside a DICOM element/);
  });

  it('truncated inside the pixel data', async () => {
    const bytes = sampleBytes('dx-for-processing.dcs');
    const pixels = tagOffset(bytes, 0x7fe0, 0x0010);
    assert.match(await reasonFor(bytes.subarray(0, pixels + 12 + 1000)), /^truncated: /);
  });

  it('truncated between two elements, before the alarm decision', async () => {
    const bytes = sampleBytes('baggage-tdr-no-threat.dcs');
    const cut = tagOffset(bytes, 0x4010, 0x1031);
    assert.equal(await reasonFor(bytes.subarray(0, cut)), 'incomplete TDR: no Alarm Decision (4010,1031); the file may be truncated');
  });

  it('an image cut off right before its pixel data', async () => {
    const bytes = sampleBytes('dx-for-presentation.dcs');
    const cut = tagOffset(bytes, 0x7fe0, 0x0010);
    assert.equal(
      await reasonFor(bytes.subarray(0, cut)),
      'truncated or incomplete: DICOS Digital X-Ray Image, for presentation without pixel data (7FE0,0010)',
    );
  });

  it('unknown SOP class (a DICOS class number that does not exist)', async () => {
    const bytes = replaceAll(sampleBytes('baggage-tdr-no-threat.dcs'), '1.2.840.10008.5.1.4.1.1.501.3', '1.2.840.10008.5.1.4.1.1.501.9');
    assert.equal(
      await reasonFor(bytes),
      'unknown SOP class 1.2.840.10008.5.1.4.1.1.501.9: not a DICOS CT (…501.1), DX (…501.2.1, …501.2.2) or TDR (…501.3) object',
    );
  });

  it('a medical CT, not a DICOS object', async () => {
    // Same length as the DICOS TDR class, so offsets hold: 1.2.840.10008.5.1.4.1.1.2 is CT Image Storage.
    const bytes = replaceAll(sampleBytes('baggage-tdr-no-threat.dcs'), '1.2.840.10008.5.1.4.1.1.501.3', '1.2.840.10008.5.1.4.1.1.2\0\0\0\0');
    assert.match(await reasonFor(bytes), /^unknown SOP class 1\.2\.840\.10008\.5\.1\.4\.1\.1\.2: /);
  });

  it('meta group and data set disagree on the SOP class', async () => {
    const bytes = Buffer.from(sampleBytes('dx-for-presentation.dcs'));
    const at = tagOffset(bytes, 0x0008, 0x0016) + 8;
    bytes.write('1.2.840.10008.5.1.4.1.1.501.2.2', at, 'latin1');
    assert.equal(
      await reasonFor(bytes),
      "inconsistent file: meta group SOP class 1.2.840.10008.5.1.4.1.1.501.2.1 differs from the data set's 1.2.840.10008.5.1.4.1.1.501.2.2",
    );
  });
});
