import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RejectedInputError } from '@customs-hub/sdk';
import { parseDocuments } from '../src/n42/parse.js';
import { DEFAULT_READ_OPTIONS } from '../src/n42/read-options.js';
import { doc2011, GROSS_BODY, ofKind, readThroughPlugin, tempDir } from './helpers.js';

async function readText(text: string, name = 'crafted.n42') {
  const path = join(tempDir('ext'), name);
  writeFileSync(path, text);
  return readThroughPlugin(path, name);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('n42 undeclared prefixes (InterSpec / SpecUtils exports)', () => {
  // SpecUtils writes InterSpec:* elements, and xsi:schemaLocation, without declaring either prefix.
  const interSpec = doc2011(
    `<RadInstrumentInformation id="I" InterSpec:id="not-this"><RadInstrumentManufacturerName>Kromek</RadInstrumentManufacturerName>
<InterSpec:DetectorType>KromekD3S</InterSpec:DetectorType></RadInstrumentInformation>
<RadDetectorInformation id="N"><RadDetectorCategoryCode>Neutron</RadDetectorCategoryCode></RadDetectorInformation>
<RadMeasurement id="M1" InterSpec:id="M9"><MeasurementClassCode>Foreground</MeasurementClassCode><StartDateTime>2024-05-01T10:00:00Z</StartDateTime>
<RealTimeDuration>PT2S</RealTimeDuration><GrossCounts radDetectorInformationReference="N"><CountData>7</CountData></GrossCounts>
<InterSpec:PeakAnalysis><GrossCounts radDetectorInformationReference="N"><CountData>999</CountData></GrossCounts></InterSpec:PeakAnalysis></RadMeasurement>`,
    ' xsi:schemaLocation="http://physics.nist.gov/N42/2011/N42 n42.xsd"',
  );

  it("reads the N42 content and ignores the undeclared prefixes' elements and attributes, warning once per prefix", async () => {
    const { docs } = parseDocuments(interSpec, 'interspec.n42', DEFAULT_READ_OPTIONS);
    const warnings = docs[0]!.warnings;
    assert.equal(warnings.filter((w) => /prefix 'InterSpec' is not declared/.test(w)).length, 1);
    assert.equal(warnings.filter((w) => /prefix 'xsi' is not declared/.test(w)).length, 1);
    const obs = await readText(interSpec);
    const counts = ofKind(obs, 'radiation.gross-count');
    assert.deepEqual(
      counts.map((g) => g.payload.counts),
      [7],
      'the GrossCounts inside the InterSpec element is not N42 data',
    );
    assert.equal((counts[0]!.extensions as { n42: { measurement: string } }).n42.measurement, 'M1', 'a prefixed attribute never replaces the N42 one');
    assert.equal(ofKind(obs, 'device.event')[0]!.payload.values!['manufacturer'], 'Kromek');
  });

  it('still refuses a root element under an undeclared prefix (nothing says it is N42)', () => {
    assert.throws(
      () => parseDocuments('<n42:RadInstrumentData><n42:Remark/></n42:RadInstrumentData>', 'x.n42', DEFAULT_READ_OPTIONS),
      (err: unknown) => err instanceof RejectedInputError && /root element prefix 'n42' is not declared/.test(err.reason),
    );
  });
});

describe('n42 MultimediaData', () => {
  // The first bytes of a JPEG and of a PNG: enough to be the instrument's photo bytes, kept as they are.
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
  const multimedia = (inner: string, id = 'Photo1') =>
    `<MultimediaData id="${id}"><MultimediaDataDescription>item photo</MultimediaDataDescription>${inner}</MultimediaData>`;

  it('keeps embedded photos (base64, hex) as raw evidence on every observation of the document', async () => {
    const b64 = jpeg.toString('base64').replace(/(.{8})/g, '$1\n');
    const text = doc2011(`${GROSS_BODY}
${multimedia(`<BinaryBase64Object>${b64}</BinaryBase64Object><MultimediaCaptureStartDateTime>2024-05-01T10:00:01Z</MultimediaCaptureStartDateTime><MultimediaDataMIMEKind>image/jpeg</MultimediaDataMIMEKind>`)}
${multimedia(`<BinaryHexObject>${png.toString('hex').toUpperCase()}</BinaryHexObject><MultimediaDataMIMEKind>image/png</MultimediaDataMIMEKind>`, 'Photo 2')}
${multimedia('<MultimediaFileURI>file:///riid/photos/0001.jpg</MultimediaFileURI>', 'Linked')}`);
    const obs = await readText(text, 'riid.n42');
    assert.equal(obs.length, 1);
    for (const o of obs) {
      assert.deepEqual(
        o.raw!.map((r) => [r.role, r.contentType, r.name, r.size]),
        [
          ['source', 'application/xml', 'riid.n42', Buffer.byteLength(text)],
          ['photo', 'image/jpeg', 'Photo1.jpg', jpeg.length],
          ['photo', 'image/png', 'Photo_2.png', png.length],
        ],
      );
      assert.equal(o.raw![1]!.sha256, sha256(jpeg), 'the stored photo is the bytes the instrument embedded');
      assert.equal(o.raw![2]!.sha256, sha256(png));
    }
    const { docs } = parseDocuments(text, 'riid.n42', DEFAULT_READ_OPTIONS);
    assert.match(
      docs[0]!.warnings.join('\n'),
      /MultimediaData \(line \d+\): MultimediaData without an embedded object \(it names 'file:\/\/\/riid\/photos\/0001\.jpg', which is not fetched\)/,
    );
  });

  it('keeps an object of an unnamed or malformed media type as application/octet-stream', async () => {
    const obs = await readText(
      doc2011(
        `${GROSS_BODY}${multimedia('<BinaryUTF8Object>operator note: bag 3</BinaryUTF8Object><MultimediaDataMIMEKind>not a type</MultimediaDataMIMEKind>', 'Note')}`,
      ),
    );
    assert.deepEqual(
      obs[0]!.raw!.slice(1).map((r) => [r.role, r.contentType, r.name, r.size]),
      [['multimedia', 'application/octet-stream', 'Note.bin', 20]],
    );
  });

  it('refuses malformed base64 and hex, naming the element', () => {
    const reason = (inner: string) => {
      try {
        parseDocuments(doc2011(`${GROSS_BODY}${multimedia(inner)}`), 'bad.n42', DEFAULT_READ_OPTIONS);
      } catch (err) {
        return (err as RejectedInputError).reason;
      }
      return 'accepted';
    };
    assert.match(reason('<BinaryBase64Object>/9j/4A*=</BinaryBase64Object>'), /^BinaryBase64Object \(line \d+\): not valid base64$/);
    assert.match(reason('<BinaryHexObject>FFD8F</BinaryHexObject>'), /^BinaryHexObject \(line \d+\): not valid hexadecimal/);
  });
});
