import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RejectedInputError } from '@customs-hub/sdk';
import { parseDocuments } from '../src/n42/parse.js';
import { DEFAULT_READ_OPTIONS } from '../src/n42/read-options.js';
import { doc2011, GROSS_BODY, ofKind, readThroughPlugin, SAMPLES, tempDir } from './helpers.js';

/** Parses text as a file would be; returns the rejection reason, or fails if it was accepted. */
function reason(text: string, limits = DEFAULT_READ_OPTIONS): string {
  try {
    parseDocuments(text, 'crafted.n42', limits);
  } catch (err) {
    assert.ok(err instanceof RejectedInputError, `expected RejectedInputError, got ${String(err)}`);
    return err.reason;
  }
  assert.fail('document was accepted');
}

async function readText(text: string, name = 'crafted.n42') {
  const path = join(tempDir('crafted'), name);
  writeFileSync(path, text);
  return readThroughPlugin(path, name);
}

const N42_NS = 'http://physics.nist.gov/N42/2011/N42';

describe('n42 parsing safety and edge cases', () => {
  it('rejects an external entity (XXE) at its DOCTYPE, without reading the file it names', () => {
    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE RadInstrumentData [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<RadInstrumentData xmlns="${N42_NS}"><Remark>&xxe;</Remark></RadInstrumentData>`;
    const r = reason(xxe);
    assert.match(r, /^crafted\.n42:2:\d+: DOCTYPE declarations are not accepted/);
    assert.doesNotMatch(r, /root:/);
  });

  it('rejects billion-laughs entity expansion immediately', () => {
    const lol = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('\n');
    const bomb = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol0 "lol">\n${lol}\n]>\n<RadInstrumentData xmlns="${N42_NS}"><Remark>&lol9;</Remark></RadInstrumentData>`;
    const t0 = process.hrtime.bigint();
    assert.match(reason(bomb), /DOCTYPE declarations are not accepted/);
    assert.ok(Number(process.hrtime.bigint() - t0) / 1e6 < 200, 'rejected without expanding');
  });

  it('rejects an entity reference that no DTD declares', () => {
    assert.match(reason(doc2011('<Remark>&lol;</Remark>')), /crafted\.n42:3:\d+: undefined entity/);
  });

  it('rejects a truncated document, naming the element left open', () => {
    const text = readFileSync(join(SAMPLES, 'nist-annex-h.n42'), 'utf8');
    assert.match(reason(text.slice(0, text.indexOf('<CountData>4</CountData>') + 15)), /^crafted\.n42:\d+:\d+: unclosed tag: CountData/);
  });

  it('reads back-to-back documents in one file; a cut-off last one is reported, a bad one before it rejects the file', async () => {
    const a = readFileSync(join(SAMPLES, 'nist-annex-h.n42'), 'utf8');
    const b = readFileSync(join(SAMPLES, 'nist-annex-f.n42'), 'utf8');
    const obs = await readText(`${a}\n${b}`);
    assert.deepEqual(
      ofKind(obs, 'radiation.gross-count').map((o) => o.payload.counts),
      [4, 2],
    );
    assert.deepEqual(
      ofKind(obs, 'radiation.dose-rate').map((o) => o.payload.doseRateUSvH),
      [10.2, 10.0, 10.4],
    );
    assert.equal(new Set(obs.map((o) => o.sourceId!.split('#')[0])).size, 2, 'one key prefix per document');
    // A whole document followed by a cut one: the whole one is read, the cut one reported with its offset.
    const read = parseDocuments(`${a}\n${b.slice(0, 900)}`, 'crafted.n42', DEFAULT_READ_OPTIONS);
    assert.equal(read.docs.length, 1);
    assert.equal(read.cut?.offset, Buffer.byteLength(`${a}\n`), "offset of the cut document's first byte");
    assert.match(read.cut!.message, /^crafted\.n42 document 2 \(from byte \d+, 900 bytes\) is cut off: the input ended before its closing root tag/);
    // A bad document before the last still rejects the file as a whole.
    assert.match(reason(`${a}${b.slice(0, 900)}\n${a}`), /^crafted\.n42#2:\d+:\d+: /);
  });

  it('tolerates an undeclared extension prefix and still maps the measurement', async () => {
    const body = GROSS_BODY.replace('</RadMeasurement>', '<vendor:Humidity vendor:unit="%">40</vendor:Humidity></RadMeasurement>');
    const { docs } = parseDocuments(doc2011(body), 'ext.n42', DEFAULT_READ_OPTIONS);
    assert.match(docs[0]!.warnings.join(), /namespace prefix 'vendor' is not declared/);
    const obs = await readText(doc2011(body));
    assert.deepEqual(
      ofKind(obs, 'radiation.gross-count').map((g) => [g.payload.counts, g.payload.durationS, g.payload.radiation]),
      [[7, 2, 'neutron']],
    );
  });

  it('rejects a root element whose prefix is not declared', () => {
    assert.match(reason('<n42:RadInstrumentData><n42:Remark/></n42:RadInstrumentData>'), /root element prefix 'n42' is not declared/);
  });

  it('rejects a wrong namespace, naming the expected one; accepts a missing namespace with a warning', () => {
    const wrong = doc2011(GROSS_BODY).replace(N42_NS, 'http://example.com/not-n42');
    assert.match(reason(wrong), new RegExp(`RadInstrumentData is in namespace 'http://example.com/not-n42', expected '${N42_NS}'`));
    const [doc] = parseDocuments(doc2011(GROSS_BODY).replace(` xmlns="${N42_NS}"`, ''), 'nons.n42', DEFAULT_READ_OPTIONS).docs;
    assert.equal(doc!.drafts.filter((d) => d.kind === 'radiation.gross-count').length, 1);
    assert.match(doc!.warnings.join(), /has no namespace/);
  });

  it('rejects a root that is not N42', () => {
    assert.match(reason('<?xml version="1.0"?><Invoice/>'), /root element 'Invoice' is not an N42 document/);
  });

  it('rejects a huge spectrum before allocating it: CountedZeroes bomb and an over-long channel list', () => {
    const spectrum = (data: string, code = 'CountedZeroes') =>
      doc2011(`<RadMeasurement id="M"><RealTimeDuration>PT1S</RealTimeDuration><Spectrum id="S">
<ChannelData compressionCode="${code}">${data}</ChannelData></Spectrum></RadMeasurement>`);
    const t0 = process.hrtime.bigint();
    assert.match(reason(spectrum('5 0 4000000000 7')), /ChannelData \(line 4\): spectrum expands to more than the 65536-channel limit/);
    assert.ok(Number(process.hrtime.bigint() - t0) / 1e6 < 200);
    assert.match(reason(spectrum(Array(70000).fill(1).join(' '), 'None')), /70000 channels, more than the 65536 limit/);
    assert.match(reason(spectrum('1 2 0')), /CountedZeroes data ends with a 0 that has no count/);
    assert.match(reason(spectrum('1 2 3', 'Zip')), /unknown compression 'Zip'/);
  });

  it('enforces size and depth limits', () => {
    const deep = doc2011(`${'<Remark>'.repeat(100)}${'</Remark>'.repeat(100)}`);
    assert.match(reason(deep), /elements nested deeper than 64/);
    assert.match(reason(doc2011(GROSS_BODY), { ...DEFAULT_READ_OPTIONS, maxBytes: 200 }), /larger than the 200-byte limit/);
  });

  it('rejects a bad value with the element and line', () => {
    assert.match(reason(doc2011(GROSS_BODY.replace('<CountData>7', '<CountData>seven'))), /^CountData \(line 5\): 'seven' is not a number/);
    assert.match(reason(doc2011(GROSS_BODY.replace('PT2S', '2 seconds'))), /RealTimeDuration \(line 5\): '2 seconds' is not an ISO 8601 duration/);
    assert.match(
      reason(doc2011(GROSS_BODY.replace('2024-05-01T10:00:00Z', 'yesterday'))),
      /StartDateTime \(line 4\): 'yesterday' is not an ISO 8601 date-time/,
    );
  });

  it('puts container ids from RadItemInformation on every observation, checked against ISO 6346', async () => {
    const item = `<RadItemInformation id="ITEM"><RadItemIdentifier>TRUCK-42</RadItemIdentifier><RadItemCharacteristics>
<Characteristic><CharacteristicName>ContainerID</CharacteristicName><CharacteristicValue>csqu 305438-3</CharacteristicValue></Characteristic>
<Characteristic><CharacteristicName>Manifest</CharacteristicName><CharacteristicValue>tiles</CharacteristicValue></Characteristic>
</RadItemCharacteristics></RadItemInformation>
<RadItemInformation id="ITEM2"><RadItemCharacteristics><CharacteristicGroup><CharacteristicGroupName>Cargo</CharacteristicGroupName>
<Characteristic><CharacteristicName>Container Number</CharacteristicName><CharacteristicValue>YMLU3030934</CharacteristicValue></Characteristic>
</CharacteristicGroup></RadItemCharacteristics></RadItemInformation>`;
    const obs = await readText(doc2011(`${item}\n${GROSS_BODY}`));
    assert.equal(obs.length, 1);
    assert.deepEqual(obs[0]!.conveyance, {
      containers: [
        { number: 'CSQU3054383', valid: true, raw: 'csqu 305438-3' },
        { number: 'YMLU3030934', valid: false },
      ],
      plates: [],
      itemId: 'TRUCK-42',
    });
  });

  it('normalizes confidence given on a 0–100 scale, converts dose-rate units, rejects confidence beyond 100', async () => {
    const body = `${GROSS_BODY.replace('</RadMeasurement>', '<DoseRate><DoseRateValue units="mrem/h">0.05</DoseRateValue></DoseRate></RadMeasurement>')}
<AnalysisResults radMeasurementReferences="M1"><NuclideAnalysisResults><Nuclide><NuclideIdentifiedIndicator>true</NuclideIdentifiedIndicator>
<NuclideName>Co-60</NuclideName><NuclideIDConfidenceValue>87</NuclideIDConfidenceValue><NuclideCategoryDescription>Industrial</NuclideCategoryDescription></Nuclide>
<Nuclide><NuclideIdentifiedIndicator>false</NuclideIdentifiedIndicator><NuclideName>I-131</NuclideName></Nuclide></NuclideAnalysisResults></AnalysisResults>`;
    const obs = await readText(doc2011(body));
    assert.deepEqual(ofKind(obs, 'radiation.nuclide-id')[0]!.payload.nuclides, [{ name: 'Co-60', category: 'Industrial', confidence: 0.87 }]);
    assert.equal(ofKind(obs, 'radiation.nuclide-id')[0]!.deviceTime, '2024-05-01T10:00:00.000Z');
    assert.ok(Math.abs(ofKind(obs, 'radiation.dose-rate')[0]!.payload.doseRateUSvH - 0.5) < 1e-12);
    assert.match(reason(doc2011(body.replace('>87<', '>150<'))), /NuclideIDConfidenceValue \(line \d+\): confidence 150 is outside 0–1 and 0–100/);
  });

  it('reads UTF-16 files with a byte-order mark and rejects invalid UTF-8', async () => {
    const text = doc2011(GROSS_BODY).replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>');
    const dir = tempDir('enc');
    writeFileSync(join(dir, 'u16.n42'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    assert.equal((await readThroughPlugin(join(dir, 'u16.n42'))).length, 1);
    writeFileSync(join(dir, 'bad.n42'), Buffer.concat([Buffer.from(doc2011(GROSS_BODY)), Buffer.from([0xc3, 0x28])]));
    await assert.rejects(readThroughPlugin(join(dir, 'bad.n42')), /bad\.n42: not valid UTF-8 text/);
  });
});
