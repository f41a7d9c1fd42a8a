import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RejectedInputError, type Logger } from '@customs-hub/sdk';
import { directoryRawStore } from '@customs-hub/sdk/testing';
import { plugin as dicos } from '@customs-hub/plugin-dicos';
import { parseDocuments } from '@customs-hub/plugin-n42';
import { LineParser } from '@customs-hub/plugin-rpm/dist/src/ascii/line-parser.js';
import { decodeHeader, decodeSlots } from '@customs-hub/plugin-rpm/dist/src/modbus/ring-reader.js';
import { resolveMap } from '@customs-hub/plugin-rpm/dist/src/modbus/register-map.js';
import { closeDeclarations, declarationSeeds, runDeclarations } from './declarations.js';
import { runXray, xraySeeds } from './xray-opcua.js';

/** What one input did: read, or refused with a reason. Anything else (a crash, a refusal without a reason) throws. */
export type Outcome = 'accepted' | 'refused';

export interface FuzzTarget {
  name: string;
  /** Real inputs from the repository to mutate. */
  seeds(): Buffer[];
  run(input: Buffer): Promise<Outcome>;
  /** Releases what the target kept open across inputs (a database), so its worker can exit. */
  close?(): Promise<void>;
}

const ROOT = join(__dirname, '..', '..');
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const files = (dir: string, ext: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => readFileSync(join(dir, f)));

/** A refusal must be the parser's own, with a reason a person can act on. */
function refused(err: unknown): Outcome {
  if (err instanceof RejectedInputError && err.reason.trim().length > 0) return 'refused';
  throw err;
}

const N42_LIMITS = { maxBytes: 8 * 1024 * 1024, maxDepth: 64, maxElements: 200_000, maxChannels: 65536, timeZone: 'UTC' };

export const TARGETS: FuzzTarget[] = [
  {
    name: 'n42',
    // The small real files (the 3 MB ORTEC portal file makes each mutant slow without new structure).
    seeds: () =>
      readdirSync(join(ROOT, 'plugins/n42/test/fixtures'))
        .filter((f) => f.endsWith('.n42') && !f.startsWith('ortec'))
        .map((f) => readFileSync(join(ROOT, 'plugins/n42/test/fixtures', f))),
    async run(input) {
      try {
        parseDocuments(input.toString('utf8'), 'fuzz.n42', N42_LIMITS);
        return 'accepted';
      } catch (err) {
        return refused(err);
      }
    },
  },
  {
    name: 'dicos',
    seeds: () => files(join(ROOT, 'plugins/dicos/samples'), '.dcs'),
    async run(input) {
      const dir = mkdtempSync(join(tmpdir(), 'fuzz-dicos-'));
      try {
        writeFileSync(join(dir, 'f.dcs'), input);
        await dicos.files!.read({ path: join(dir, 'f.dcs'), name: 'f.dcs' }, { storeRaw: directoryRawStore(join(dir, 'raw')), logger: silent });
        return 'accepted';
      } catch (err) {
        return refused(err);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'rpm-ascii',
    seeds: () => [
      Buffer.from(
        'SG1,1250,1301,1190,1222,6.0\nSG2,4\nSG3,0.2\nSN1,2,3\nSN2,7\nGB,001250,001301,001190,001222\nGS,000261,000270,000249,000255\nGA,002500,002501,002490,002522\nNB,000001,000002\nNA,000004,000005,000003,000006\nGW,000100,000200,000300\nGX,1\nSP,05.2\nTT\nTC\n',
      ),
    ],
    async run(input) {
      const parser = new LineParser({ panels: 4, scanIntervalS: 0.2, backgroundIntervalS: 1, neutronIntervalS: 1 });
      let outcome: Outcome = 'accepted';
      for (const line of input.toString('latin1').split(/\r?\n/)) {
        const r = parser.parse(line);
        if (r.ok === false) {
          if (!r.reason) throw new Error(`line '${line.slice(0, 80)}' refused without a reason`);
          outcome = 'refused';
        }
      }
      return outcome;
    },
  },
  {
    name: 'rpm-modbus',
    // Register blocks as the driver reads them (always the block's length): the values are what vary.
    seeds: () => [Buffer.alloc(2 * (12 + 8 * 12), 0), Buffer.from(Array.from({ length: 2 * (12 + 8 * 12) }, (_, i) => (i * 37) & 0xff))],
    async run(input) {
      // 32-bit floats are the one register type that can hold NaN; the fuzzed maps use it for a count.
      for (const map of [
        resolveMap({}, 4),
        resolveMap({ gammaCount: { type: 'f32' }, speedKmh: { type: 's16' }, neutronBackground: { type: 's32', wordOrder: 'little' } }, 4),
      ]) {
        const need = map.header[1] + map.slot.words * 8;
        const words = Array.from({ length: need }, (_, i) => (i * 2 + 1 < input.length ? input.readUInt16BE(i * 2) : 0));
        const header = decodeHeader(words.slice(0, map.header[1]), map);
        for (const [k, v] of Object.entries(header)) if (!Number.isFinite(v)) throw new Error(`header ${k} decoded to ${v}`);
        for (const s of decodeSlots(words.slice(map.header[1]), 8, map)) {
          for (const v of [s.seq, s.flags, s.windowLow, s.windowHigh, ...s.neutron]) if (!Number.isFinite(v)) throw new Error(`slot value ${v}`);
          // A NaN or infinite f32 count must reach the driver as such, never as a wrong finite number: NaN is the honest reading.
          for (const g of s.gamma) if (typeof g !== 'number') throw new Error(`gamma ${String(g)}`);
        }
      }
      return 'accepted';
    },
  },
  {
    name: 'declarations-csv',
    // `customs-hub declarations import` with the shipped KCS mapping (see declarations.ts).
    seeds: declarationSeeds,
    run: runDeclarations,
    close: closeDeclarations,
  },
  {
    name: 'xray-opcua',
    // Scan records and values of OPC UA scanners, decoded under a vendor mapping (see xray-opcua.ts).
    seeds: xraySeeds,
    run: runXray,
  },
];
