import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger, Observation } from '@customs-hub/sdk';
import { checkedObservation, directoryRawStore } from '@customs-hub/sdk/testing';
import { plugin } from '../src/index.js';
export { freePort } from '@customs-hub/sdk/testing';

/** The real N42 files the tests read: copies in the repository, with their sources (test/fixtures/README.md). */
export const SAMPLES = join(__dirname, '../../test/fixtures');

/** The N42 files among the fixtures (the folder also holds their README). */
export function sampleFiles(): string[] {
  return readdirSync(SAMPLES)
    .filter((f) => f.endsWith('.n42'))
    .sort();
}

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `n42-${tag}-`));
}

export const quietLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quietLogger };

/** Reads a file through the plugin's FileReader (what `inspect` does) and validates every draft against the data model. */
export async function readThroughPlugin(path: string, name = path.split('/').pop()!): Promise<Observation[]> {
  const drafts = await plugin.files!.read({ path, name }, { storeRaw: directoryRawStore(tempDir('raw')), logger: quietLogger });
  return drafts.map((d, i) => {
    try {
      return checkedObservation(d, { plugin: { name: 'n42', version: '1.0.0' }, seq: i + 1 });
    } catch (err) {
      return assert.fail(`${name} observation ${i}: ${(err as Error).message}`);
    }
  });
}

export function ofKind<K extends Observation['kind']>(obs: Observation[], kind: K): Array<Observation<K>> {
  return obs.filter((o): o is Observation<K> => o.kind === kind);
}

/** A minimal valid 2011 document around the given body, for crafted cases. */
export function doc2011(body: string, attrs = ''): string {
  return `<?xml version="1.0"?>\n<RadInstrumentData xmlns="http://physics.nist.gov/N42/2011/N42" n42DocUUID="${randomUUID()}"${attrs}>\n${body}\n</RadInstrumentData>\n`;
}

export const GROSS_BODY = `<RadDetectorInformation id="N"><RadDetectorCategoryCode>Neutron</RadDetectorCategoryCode></RadDetectorInformation>
<RadMeasurement id="M1"><MeasurementClassCode>Foreground</MeasurementClassCode><StartDateTime>2024-05-01T10:00:00Z</StartDateTime>
<RealTimeDuration>PT2S</RealTimeDuration><GrossCounts radDetectorInformationReference="N"><CountData>7</CountData></GrossCounts></RadMeasurement>`;
