import assert from 'node:assert/strict';
import { resolveMapping } from '../src/config.js';
import { decodeRecord, decodeScan, ScanReadError, type RawScan } from '../src/scan-decode.js';
import { scanDraft, VERDICT_FINDING_CLASS } from '../src/scan-draft.js';

const m = resolveMapping();
const raw = (values: RawScan['values'], findings: RawScan['findings'] = []): RawScan => ({
  nodeId: 'ns=2;s=Scan',
  values: { scanId: 'S-1', imageUrl: 'http://x/i.raw', ...values },
  findings,
});

describe('xray-opcua: value mapping', () => {
  describe('times', () => {
    it('reads an ISO string time as the instant it names, with nothing to note', () => {
      const r = decodeScan(raw({ startTime: '2026-12-01T10:00:00Z', endTime: '2026-12-01T10:00:20.250Z' }), m);
      assert.equal(r.startedAt?.toISOString(), '2026-12-01T10:00:00.000Z');
      assert.equal(r.endedAt?.toISOString(), '2026-12-01T10:00:20.250Z');
      assert.deepEqual([r.problems, r.notes], [[], []]);
      const draft = scanDraft(r, { status: 'stored', ref: { sha256: 'a'.repeat(64), key: 'k', size: 1 } });
      assert.deepEqual(draft.quality, { status: 'good' });
      assert.equal((draft.deviceTime as Date).toISOString(), '2026-12-01T10:00:20.250Z');
    });

    it('reads a basic-format offset (+0300), noting the repair while the quality stays good', () => {
      const r = decodeScan(raw({ startTime: '2026-12-01T13:00:00+0300', endTime: '2026-12-01T13:00:20+0300' }), m);
      assert.equal(r.startedAt?.toISOString(), '2026-12-01T10:00:00.000Z');
      assert.deepEqual(r.notes, ['StartTime: UTC offset +0300 read as +03:00', 'EndTime: UTC offset +0300 read as +03:00']);
      const draft = scanDraft(r, { status: 'stored', ref: { sha256: 'a'.repeat(64), key: 'k', size: 1 } });
      assert.deepEqual(draft.quality, { status: 'good', reasons: r.notes });
    });

    it('reads a time without offset in the configured zone, and the scan becomes uncertain saying so', () => {
      const r = decodeScan(raw({ startTime: '2026-12-01 13:00:00', endTime: '2026-12-01T13:00:20' }), resolveMapping({ timeZone: 'Europe/Moscow' }));
      assert.equal(r.startedAt?.toISOString(), '2026-12-01T10:00:00.000Z');
      assert.equal(r.endedAt?.toISOString(), '2026-12-01T10:00:20.000Z');
      // With the zone assumed, every repair of that value is part of the doubt.
      assert.deepEqual(r.problems, [
        "StartTime: ' ' between date and time read as 'T'",
        "StartTime: device time had no time zone; read in the device's zone Europe/Moscow",
        "EndTime: device time had no time zone; read in the device's zone Europe/Moscow",
      ]);
      assert.deepEqual(r.notes, []);
      assert.equal(scanDraft(r, { status: 'stored', ref: { sha256: 'a'.repeat(64), key: 'k', size: 1 } }).quality!.status, 'uncertain');
    });

    it('says when no time could be read, instead of passing the receive time off as good', () => {
      const r = decodeScan(raw({ startTime: 'yesterday', endTime: 1733040000 }), m);
      assert.equal(r.startedAt, undefined);
      assert.deepEqual(r.problems, [
        "StartTime 'yesterday' is not an ISO 8601 date-time; ignored",
        'EndTime is a number, not a date-time; ignored',
        "no readable StartTime or EndTime: the scan is timed by the hub's receive time",
      ]);
      assert.equal(scanDraft(r, { status: 'stored', ref: { sha256: 'a'.repeat(64), key: 'k', size: 1 } }).deviceTime, undefined);
    });

    it('refuses a config whose timeZone is not an IANA zone', () => {
      assert.throws(() => resolveMapping({ timeZone: 'Mars/Olympus' }), /config timeZone: 'Mars\/Olympus' is not an IANA time zone/);
    });
  });

  describe('container lists', () => {
    it('splits one delimited string into containers, noting the guessed separator', () => {
      const r = decodeScan(raw({ startTime: new Date(), containers: 'MSKU1234565; TGHU7654321' }), m);
      assert.deepEqual(r.containers, ['MSKU1234565', 'TGHU7654321']);
      assert.deepEqual(r.notes, ["ContainerNumbers was one string; split at ';' (set listSeparator to say so)"]);
    });

    it('splits at the configured separator without a note, and keeps a lone number as one', () => {
      const r = decodeScan(raw({ startTime: new Date(), containers: 'MSKU1234565/TGHU7654321' }), resolveMapping({ listSeparator: '/' }));
      assert.deepEqual([r.containers, r.notes], [['MSKU1234565', 'TGHU7654321'], []]);
      assert.deepEqual(decodeScan(raw({ startTime: new Date(), containers: 'MSKU 123456 5' }), m).containers, ['MSKU 123456 5']);
    });

    it('drops what cannot be a container number, and more than ten, naming them', () => {
      const many = Array.from({ length: 12 }, (_, i) => `MSKU12345${String(i).padStart(2, '0')}`);
      const r = decodeScan(raw({ startTime: new Date(), containers: [...many, 'X'.repeat(30), 7] }), m);
      assert.equal(r.containers.length, 10);
      assert.deepEqual(r.problems, ['ContainerNumbers: more than 10 container numbers; the rest ignored']);
      const bad = decodeScan(raw({ startTime: new Date(), containers: ['X'.repeat(30), 7] }), m);
      assert.deepEqual(bad.problems, [
        `ContainerNumbers item '${'X'.repeat(30)}' cannot be a container number; ignored`,
        'ContainerNumbers item is a number, not a string; ignored',
      ]);
    });
  });

  describe('verdicts', () => {
    const stored = { status: 'stored', ref: { sha256: 'a'.repeat(64), key: 'k', size: 1 } } as const;

    it('a CLEAR verdict raises nothing; a SUSPECT one raises an alarm and a finding even without regions', () => {
      const clear = scanDraft(decodeScan(raw({ startTime: new Date(), verdict: 'CLEAR' }), m), stored);
      assert.deepEqual([clear.alarms, clear.payload.findings, clear.extensions], [[], [], { 'xray-opcua': { nodeId: 'ns=2;s=Scan', verdict: 'CLEAR' } }]);
      const suspect = scanDraft(decodeScan(raw({ startTime: new Date(), verdict: 'suspect' }), m), stored);
      assert.deepEqual(suspect.alarms, [{ category: 'xray', source: 'device', level: 'alarm', message: 'scanner verdict: suspect' }]);
      assert.deepEqual(suspect.payload.findings, [{ class: VERDICT_FINDING_CLASS, source: 'automatic', note: 'scanner verdict suspect, no region given' }]);
      assert.deepEqual(suspect.quality, { status: 'good' });
    });

    it('maps vendor words, and takes an unknown word as suspect with the reason', () => {
      const vendor = resolveMapping({ verdicts: { OK: 'clear', ALARM: 'suspect' } });
      assert.equal(decodeScan(raw({ startTime: new Date(), verdict: 'OK' }), vendor).verdict?.meaning, 'clear');
      const odd = decodeScan(raw({ startTime: new Date(), verdict: 'MAYBE' }), vendor);
      assert.deepEqual(odd.verdict, { word: 'MAYBE', meaning: 'suspect' });
      assert.deepEqual(odd.problems, ["Verdict 'MAYBE' is not one of the configured verdicts (CLEAR, SUSPECT, OK, ALARM); taken as suspect"]);
      const draft = scanDraft(odd, stored);
      assert.equal(draft.quality!.status, 'uncertain');
      assert.equal(draft.alarms!.length, 1);
    });

    it("keeps the scanner's own findings and adds no synthetic one when a suspect scan has regions", () => {
      const r = decodeScan(
        raw({ startTime: new Date(), verdict: 'SUSPECT' }, [
          { source: 'automatic', name: 'Finding1', values: { class: 'dense-object', box: [1, 2, 3, 4], confidence: 0.8 } },
        ]),
        m,
      );
      const draft = scanDraft(r, stored);
      assert.deepEqual(
        draft.payload.findings.map((f) => f.class),
        ['dense-object'],
      );
      assert.deepEqual(
        draft.alarms!.map((a) => a.message),
        ['scanner verdict: SUSPECT', 'automatic finding: dense-object (confidence 0.8)'],
      );
    });
  });

  describe('types and records', () => {
    it('reads numbers sent as strings, noting it, and refuses an id it cannot use with the reason', () => {
      const r = decodeScan(raw({ startTime: new Date(), imageSize: '1048576', imageWidth: '2048' }), m);
      assert.deepEqual([r.image?.size, r.image?.widthPx], [1048576, 2048]);
      assert.deepEqual(r.notes, ["ImageSize '1048576' was a string; read as a number", "ImageWidth '2048' was a string; read as a number"]);
      assert.equal(decodeScan(raw({ scanId: 4711, startTime: new Date() }), m).scanId, '4711');
      assert.throws(
        () => decodeScan(raw({ scanId: new Date() }), m),
        (e: Error) => e instanceof ScanReadError && e.reason === 'scan ns=2;s=Scan has no readable ScanId (a date-time)',
      );
      assert.throws(() => decodeScan(raw({ scanId: 'A\u0000B' }), m), /contains control characters/);
    });

    it('decodes a JSON scan record under the mapped names, and refuses what is not one with a reason', () => {
      const vendor = resolveMapping({ fields: { scanId: 'InspectionId', containers: 'Codes', findings: 'Threats' }, findingFields: { class: 'Type' } });
      const r = decodeRecord(
        JSON.stringify({
          InspectionId: 'V-9',
          StartTime: '2026-12-01T10:00:00Z',
          Codes: 'MSKU1234565',
          Threats: [{ Type: 'organic-anomaly', BoundingBox: [1, 2, 3, 4], Confidence: 0.5 }, 'junk'],
        }),
        'rec',
        vendor,
      );
      assert.deepEqual(
        [r.scanId, r.containers, r.findings],
        ['V-9', ['MSKU1234565'], [{ class: 'organic-anomaly', source: 'automatic', box: { x: 1, y: 2, width: 3, height: 4 }, confidence: 0.5 }]],
      );
      assert.deepEqual(r.problems, ['automatic finding Finding2 has no Type']);
      for (const [text, reason] of [
        ['{"ScanId": 1', /is not JSON/],
        ['[1,2]', /is an array, not a JSON object/],
        ['{"Lane": "x"}', /has no readable ScanId/],
      ] as const) {
        assert.throws(
          () => decodeRecord(text, 'rec', m),
          (e: Error) => e instanceof ScanReadError && reason.test(e.message),
          text,
        );
      }
    });

    it('keeps quality reasons within the schema (20 of 200 characters)', () => {
      const findings = Array.from({ length: 30 }, (_, i) => ({ source: 'automatic' as const, name: `F${i}`, values: { class: 'x'.repeat(300) } }));
      const draft = scanDraft(decodeScan(raw({ startTime: new Date() }, findings), m), null);
      assert.equal(draft.quality!.reasons!.length, 20);
      assert.ok(draft.quality!.reasons!.every((s) => s.length <= 200));
      assert.equal(draft.quality!.reasons![19], 'and 11 more');
      assert.ok(draft.payload.findings.every((f) => f.class.length === 100));
    });
  });
});
