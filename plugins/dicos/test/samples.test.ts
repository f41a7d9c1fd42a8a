import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { directoryRawStore, rawFilePath } from '@customs-hub/sdk/testing';
import type { FileReadContext, Logger, Observation } from '@customs-hub/sdk';
import { plugin } from '../src/index.js';
import { rawElement, rawString, sampleBytes, sha256, SHARED_SAMPLES, tempDir, validated } from './helpers.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

async function read(name: string, rawDir: string): Promise<Observation> {
  const ctx: FileReadContext = { storeRaw: directoryRawStore(rawDir), logger: silent };
  const drafts = await plugin.files!.read({ path: join(SHARED_SAMPLES, name), name }, ctx);
  assert.equal(drafts.length, 1);
  return validated(drafts[0]!);
}

/** DICOM DA + TM as written in the file, as the ISO instant the hub stores (UTC, millisecond precision). */
function isoOf(da: string, tm: string): string {
  return `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6, 8)}T${tm.slice(0, 2)}:${tm.slice(2, 4)}:${tm.slice(4, 6)}.${tm.slice(7, 10)}Z`;
}

function floatsOf(b: Buffer): number[] {
  return Array.from({ length: b.length / 4 }, (_, i) => b.readFloatLE(i * 4));
}

describe('dicos: every bundled sample', () => {
  const names = readdirSync(SHARED_SAMPLES)
    .filter((n) => n.endsWith('.dcs'))
    .sort();

  it('finds the four bundled samples', () => {
    assert.deepEqual(names, ['baggage-tdr-no-threat.dcs', 'baggage-tdr-threat.dcs', 'dx-for-presentation.dcs', 'dx-for-processing.dcs']);
  });

  for (const name of names) {
    it(`${name}: is claimed by the file reader, stored raw byte for byte, identified by its SOP Instance UID`, async () => {
      const bytes = sampleBytes(name);
      assert.equal(plugin.files!.accepts({ name: 'no-extension', head: bytes.subarray(0, 4096) }), true);
      const rawDir = tempDir('raw');
      const obs = await read(name, rawDir);
      const uid = rawString(bytes, 0x0008, 0x0018, 'UI');
      assert.equal(obs.sourceId, uid);
      assert.equal(rawString(bytes, 0x0002, 0x0003, 'UI', 0), uid, 'meta and data set agree');
      assert.deepEqual(obs.raw![0] && [obs.raw![0].sha256, obs.raw![0].size, obs.raw![0].name, obs.raw![0].contentType], [
        sha256(bytes),
        bytes.length,
        name,
        'application/dicom',
      ]);
      // An image also carries its decoded preview and thumbnail (test/preview.test.ts checks their pixels).
      assert.deepEqual(
        obs.raw!.slice(1).map((r) => [r.role, r.contentType]),
        obs.kind === 'xray.scan'
          ? [
              ['preview', 'image/png'],
              ['thumbnail', 'image/png'],
            ]
          : [],
      );
      assert.deepEqual(sampleBytes(name), readFileSync(rawFilePath(rawDir, sha256(bytes))));
      assert.equal(obs.deviceTime, isoOf(rawString(bytes, 0x0008, 0x0023, 'DA'), rawString(bytes, 0x0008, 0x0033, 'TM')));
      // The object of inspection id of these synthetic files is the placeholder 'unknown': never a correlation key.
      assert.equal(rawString(bytes, 0x0010, 0x0020, 'LO'), 'unknown');
      assert.equal(obs.conveyance.itemId, undefined);
    });
  }

  it('baggage-tdr-threat.dcs: one threat object with class, region, assessment; images it names', async () => {
    const bytes = sampleBytes('baggage-tdr-threat.dcs');
    const obs = await read('baggage-tdr-threat.dcs', tempDir('raw'));
    assert.equal(obs.kind, 'xray.threat-report');
    const p = obs.payload as Observation<'xray.threat-report'>['payload'];
    assert.equal(p.objectOfInspectionId, 'unknown');
    assert.equal(p.sopInstanceUid, obs.sourceId);
    assert.equal(p.tdrType, rawString(bytes, 0x4010, 0x1027, 'CS'));
    assert.equal(p.alarmDecision, 'CLEAR');
    assert.deepEqual(p.referencedImages, [rawString(bytes, 0x0008, 0x1155, 'UI')]);
    // pyDICOS's generator: PTO 9001, PI (prohibited item), THREAT, "Flammable Liquid", probability -1 (none),
    // mass 50, density 7000; the ROI base and extents are read from the FL bytes.
    const base = floatsOf(rawElement(bytes, 0x4010, 0x1004, 'FL'));
    const ext = floatsOf(rawElement(bytes, 0x4010, 0x1005, 'FL'));
    assert.deepEqual(ext, [50, 50, 100]);
    assert.deepEqual(p.threats, [
      {
        id: '9001',
        class: 'prohibited-item',
        assessment: 'THREAT',
        description: 'Flammable Liquid',
        box: { x: base[0], y: base[1], z: base[2], width: ext[0], height: ext[1], depth: ext[2] },
      },
    ]);
    const ext0 = obs.extensions!.dicos as { threats: unknown[]; totalProcessingTimeMs: number; alarmObjects: number };
    assert.deepEqual(ext0.threats, [{ id: '9001', boxFrom: 'roi', massG: 50, density: 7000, category: 'PI', abilityAssessment: 'NO_INTERFERENCE' }]);
    assert.equal(ext0.totalProcessingTimeMs, 500);
    assert.equal(ext0.alarmObjects, 1);
    // The device cleared the bag yet flagged an object: kept visible as a warning, not an alarm.
    assert.deepEqual(
      obs.alarms.map((a) => [a.category, a.source, a.level, a.value]),
      [['xray', 'device', 'warning', 1]],
    );
    assert.deepEqual(obs.quality, { status: 'good' });
  });

  it('baggage-tdr-no-threat.dcs: no threats, cleared, no alarm', async () => {
    const bytes = sampleBytes('baggage-tdr-no-threat.dcs');
    const obs = await read('baggage-tdr-no-threat.dcs', tempDir('raw'));
    const p = obs.payload as Observation<'xray.threat-report'>['payload'];
    assert.equal(obs.kind, 'xray.threat-report');
    assert.deepEqual(p.threats, []);
    assert.equal(p.alarmDecision, 'CLEAR');
    assert.equal(rawElement(bytes, 0x4010, 0x1033, 'US').readUInt16LE(0), 0, 'Number of Total Objects');
    assert.deepEqual(p.referencedImages, [rawString(bytes, 0x0008, 0x1155, 'UI')]);
    assert.deepEqual(obs.alarms, []);
    assert.deepEqual(obs.quality, { status: 'good' });
  });

  for (const [name, format] of [
    ['dx-for-presentation.dcs', 'for presentation'],
    ['dx-for-processing.dcs', 'for processing'],
  ] as const) {
    it(`${name}: an xray.scan with the image stored raw, its size in pixels and no findings`, async () => {
      const bytes = sampleBytes(name);
      const obs = await read(name, tempDir('raw'));
      assert.equal(obs.kind, 'xray.scan');
      const p = obs.payload as Observation<'xray.scan'>['payload'];
      assert.equal(p.scanId, rawString(bytes, 0x0008, 0x0018, 'UI'));
      assert.equal(p.imageStatus, 'stored');
      assert.deepEqual(p.findings, []);
      assert.equal(p.image!.format, `DICOS Digital X-Ray Image, ${format}`);
      assert.equal(p.image!.sha256, sha256(bytes));
      assert.equal(p.image!.location, `sha256/${sha256(bytes)}`);
      assert.equal(p.image!.widthPx, rawElement(bytes, 0x0028, 0x0011, 'US').readUInt16LE(0));
      assert.equal(p.image!.heightPx, rawElement(bytes, 0x0028, 0x0010, 'US').readUInt16LE(0));
      assert.equal(obs.raw![0]!.role, 'image');
      assert.equal((obs.extensions!.dicos as { sopClassUid: string }).sopClassUid, rawString(bytes, 0x0008, 0x0016, 'UI'));
    });
  }
});
