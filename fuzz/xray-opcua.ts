import { seededRandom, type Observation } from '@customs-hub/sdk';
import { compileModel, completeObservation, createAjv, sequenced } from '@customs-hub/sdk/runtime';
import { resolveMapping } from '@customs-hub/plugin-xray-opcua/dist/src/config.js';
import { decodeRecord, decodeScan, SCAN_KEYS, ScanReadError, type RawScan, type ScanRecord } from '@customs-hub/plugin-xray-opcua/dist/src/scan-decode.js';
import { scanDraft } from '@customs-hub/plugin-xray-opcua/dist/src/scan-draft.js';
import { ScannerStatus } from '@customs-hub/plugin-xray-opcua/dist/src/scanner-status.js';
import { makeScan } from '@customs-hub/plugin-xray-opcua/dist/src/simulator/scan-factory.js';
import { scanRecordJson } from '@customs-hub/plugin-xray-opcua/dist/src/simulator/scan-record.js';
import { DOCUMENTED_SHAPE, type VendorShape } from '@customs-hub/plugin-xray-opcua/dist/src/simulator/options.js';

// OPC UA scan payloads: the JSON scan records of a LastScan-only scanner, and the same values with their
// types confused as OPC UA delivers them (DateTime, UInt64 pairs, Double arrays), through the plugin's own
// decoders under a vendor mapping. Every decoded scan must become an observation the hub's schema accepts:
// a draft the hub would dead-letter is a silent loss, so it counts as a crash.

type Outcome = 'accepted' | 'refused';

const SHAPES: Array<Partial<VendorShape>> = [
  {},
  { containers: 'delimited', times: 'iso-basic' },
  { times: 'local', verdicts: { clear: 'CLEAR', suspect: 'SUSPECT' } },
  { times: 'iso', verdicts: { clear: 'OK', suspect: 'ALARM' }, containers: 'delimited' },
];

const mapping = resolveMapping({
  timeZone: 'Europe/Moscow',
  verdicts: { OK: 'clear', ALARM: 'suspect' },
  statusWords: { Idle: 'online', Busy: 'busy', Error: 'fault' },
});
let validate: ReturnType<typeof compileModel<Observation>> | null = null;

/** Seeds: records the simulator's vendor shapes write, with and without findings, one malformed. */
export function xraySeeds(): Buffer[] {
  const rand = seededRandom(11);
  return SHAPES.flatMap((shape, i) =>
    [false, true].map((findings) => {
      const scan = makeScan(rand, {
        index: i * 2 + (findings ? 1 : 0),
        runId: 'FUZZ',
        lane: 'CARGO-1',
        now: new Date(Date.UTC(2026, 11, 1, 12, i)),
        imageBytes: 1 << 20,
        findingRate: 0.3,
        invalidRate: 0.3,
        profile: { findings, malformed: i === 3 && findings },
      });
      const full = { ...scan, imageSha256: 'ab'.repeat(32), announcedAt: new Date(Date.UTC(2026, 11, 1, 12, i, 30)) };
      return Buffer.from(scanRecordJson(full, `http://127.0.0.1:8089/images/${scan.scanId}.raw`, { ...DOCUMENTED_SHAPE, ...shape }));
    }),
  );
}

/** The same values with OPC UA's types in the wrong places: what a vendor's variables may hold. */
function confused(values: unknown[], shift: number): RawScan {
  const opcua = values.map((v, i) => {
    switch ((i + shift) % 4) {
      case 0:
        return typeof v === 'string' ? new Date(v) : v; // a DateTime (maybe Invalid Date)
      case 1:
        return typeof v === 'number' ? [Math.floor(v / 2 ** 32), v % 2 ** 32] : v; // UInt64 as [high, low]
      case 2:
        return Array.isArray(v) ? Float64Array.from(v.map(Number)) : v; // Double[]
      default:
        return v;
    }
  });
  const raw: RawScan = { nodeId: 'ns=2;s=Fuzz', values: {}, findings: [] };
  SCAN_KEYS.forEach((k, i) => {
    raw.values[k] = opcua[(i + shift) % opcua.length];
  });
  raw.findings = values
    .filter(Array.isArray)
    .flat()
    .slice(0, 50)
    .map((f, i) => ({
      source: i % 2 ? 'operator' : 'automatic',
      name: `Finding${i + 1}`,
      values:
        typeof f === 'object' && f !== null
          ? {
              class: (f as Record<string, unknown>).Class,
              box: (f as Record<string, unknown>).BoundingBox,
              confidence: (f as Record<string, unknown>).Confidence,
            }
          : { class: f },
    }));
  return raw;
}

/** A decoded scan must make an observation the hub accepts; the scan's words must not upset the status machine. */
function check(scan: ScanRecord): void {
  validate ??= compileModel<Observation>(createAjv(), 'https://customs-hub.dev/schemas/observation.v1.json');
  const draft = scanDraft(scan, null, { notes: ['scanner status unknown (fuzz); taken as online'] });
  const obs = sequenced(
    completeObservation(draft, {
      id: '00000000-0000-4000-8000-000000000000',
      checkpoint: 'fuzz',
      lane: null,
      deviceId: 'xray-fuzz',
      plugin: { name: 'xray-opcua', version: '1.0.0' },
      receivedAt: new Date(Date.UTC(2026, 11, 1)),
    }),
    1,
  );
  if (!validate(obs)) throw new Error(`decoded scan makes an observation the hub would reject: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
  const status = new ScannerStatus({ ok() {}, degraded() {}, failure() {}, fault() {} }, mapping.statusWords);
  for (const word of [scan.lane ?? '', scan.plate ?? '', scan.scanId]) {
    const event = status.update(word, new Date(0));
    if (event && !validate({ ...obs, kind: 'device.event', payload: event.payload, alarms: [], conveyance: { containers: [], plates: [] } }))
      throw new Error(`status word ${JSON.stringify(word.slice(0, 80))} makes an invalid device event: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
  }
}

/** One fuzz input: the record as JSON, then its values with confused types. */
export async function runXray(input: Buffer): Promise<Outcome> {
  let outcome: Outcome = 'accepted';
  const text = input.toString('utf8');
  const refuse = (err: unknown) => {
    if (err instanceof ScanReadError && err.reason.trim().length > 0) {
      outcome = 'refused';
      return;
    }
    throw err;
  };
  try {
    check(decodeRecord(text, 'ns=2;s=XrayScanner.LastScan', mapping));
  } catch (err) {
    refuse(err);
  }
  // The record's values, or — when the mutant is no longer JSON — its tokens, so mutated times, ids and lists
  // still reach the decoder as values of every type.
  let values: unknown[];
  try {
    const parsed: unknown = JSON.parse(text);
    values = typeof parsed === 'object' && parsed !== null ? Object.values(parsed) : [parsed];
  } catch {
    values = text
      .split(/[",:{}]+/)
      .filter((t) => t.trim())
      .slice(0, 200)
      .map((t) =>
        /^-?\d+(\.\d+)?$/.test(t.trim())
          ? Number(t)
          : t.startsWith('[')
            ? t
                .slice(1)
                .split(/[[\]]+/)
                .filter(Boolean)
            : t,
      );
  }
  if (values.length === 0) return outcome;
  for (const shift of [1, input.length % 7]) {
    try {
      check(decodeScan(confused(values, shift), mapping));
    } catch (err) {
      refuse(err);
    }
  }
  return outcome;
}
