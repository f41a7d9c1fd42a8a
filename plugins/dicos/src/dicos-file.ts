import { open, type FileHandle } from 'node:fs/promises';
import { parseDicom, type DataSet } from 'dicom-parser';
import { RejectedInputError } from '@customs-hub/sdk';
import { SOP_CLASSES, type DicosObjectKind } from './sop-classes.js';
import { text, uint16 } from './dataset.js';
import { TAG } from './tags.js';

/** A DICOS file that passed the structural checks, parsed. */
export interface DicosFile {
  name: string;
  size: number;
  dataSet: DataSet;
  kind: DicosObjectKind;
  sopClassUid: string;
  sopClassName: string;
  sopInstanceUid: string;
  transferSyntaxUid: string;
}

const MAGIC_OFFSET = 128;
/** Headers are read first; image pixel data is only bounds-checked, never loaded, when its length is defined. */
const FIRST_READ = 1 << 20;

/** Does this head (first bytes of a file) carry the DICOM Part-10 marker? */
export function hasDicmMarker(head: Uint8Array): boolean {
  return head.length >= MAGIC_OFFSET + 4 && Buffer.from(head.subarray(MAGIC_OFFSET, MAGIC_OFFSET + 4)).toString('latin1') === 'DICM';
}

/** dicom-parser throws strings, Errors, or { exception, dataSet } objects. */
function parserMessage(e: unknown): string {
  if (typeof e === 'string') return e;
  if (e instanceof Error) return e.message;
  const ex = (e as { exception?: unknown } | null)?.exception;
  return ex === undefined ? String(e) : parserMessage(ex);
}

function structureError(message: string): RejectedInputError {
  const truncated = /past end of buffer|buffer overrun|eof encountered|cannot be greater than or equal/i.test(message);
  return new RejectedInputError(truncated ? `truncated: the file ends inside a DICOM element (${message})` : `corrupt DICOM structure: ${message}`);
}

async function readRange(fh: FileHandle, from: number, to: number): Promise<Buffer> {
  const buf = Buffer.alloc(to - from);
  let done = 0;
  while (done < buf.length) {
    const { bytesRead } = await fh.read(buf, done, buf.length - done, from + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === buf.length ? buf : buf.subarray(0, done);
}

/**
 * Parses as little of the file as needed: the header, growing the read until the pixel data element
 * is reached (whose declared length is then checked against the file size) or the whole file is read.
 */
async function parseStructure(fh: FileHandle, size: number): Promise<DataSet> {
  let buf = await readRange(fh, 0, Math.min(size, FIRST_READ));
  if (!hasDicmMarker(buf)) {
    const found =
      buf.length >= MAGIC_OFFSET + 4 ? `found 0x${buf.subarray(MAGIC_OFFSET, MAGIC_OFFSET + 4).toString('hex')}` : `the file has only ${size} bytes`;
    throw new RejectedInputError(`not a DICOS file: no 'DICM' marker after the 128-byte preamble (${found})`);
  }
  for (;;) {
    const whole = buf.length >= size;
    let ds: DataSet | undefined;
    let failure: string | undefined;
    try {
      ds = parseDicom(new Uint8Array(buf.buffer, buf.byteOffset, buf.length), whole ? undefined : { untilTag: TAG.pixelData });
    } catch (e) {
      failure = parserMessage(e);
    }
    if (whole) {
      if (failure !== undefined) throw structureError(failure);
      if (ds!.warnings.length > 0) throw structureError(ds!.warnings.join('; '));
      return ds!;
    }
    const pixels = ds?.elements[TAG.pixelData];
    if (ds && pixels && !pixels.hadUndefinedLength && ds.warnings.length === 0) {
      if (pixels.dataOffset + pixels.length > size) {
        throw new RejectedInputError(`truncated: pixel data declares ${pixels.length} bytes at offset ${pixels.dataOffset}, but the file has ${size} bytes`);
      }
      return ds;
    }
    // Header larger than what was read, or encapsulated pixel data: read on.
    const more = await readRange(fh, buf.length, Math.min(size, buf.length * 4));
    if (more.length === 0) throw new RejectedInputError('truncated: the file shrank while being read');
    buf = Buffer.concat([buf, more]);
  }
}

function identify(ds: DataSet): Pick<DicosFile, 'kind' | 'sopClassUid' | 'sopClassName' | 'sopInstanceUid' | 'transferSyntaxUid'> {
  const metaClass = text(ds, TAG.mediaStorageSopClassUid);
  const sopClassUid = text(ds, TAG.sopClassUid) ?? metaClass;
  if (!sopClassUid) throw new RejectedInputError('no SOP Class UID: neither (0008,0016) nor the meta group (0002,0002) names one');
  if (metaClass && metaClass !== sopClassUid) {
    throw new RejectedInputError(`inconsistent file: meta group SOP class ${metaClass} differs from the data set's ${sopClassUid}`);
  }
  const known = SOP_CLASSES[sopClassUid];
  if (!known) throw new RejectedInputError(`unknown SOP class ${sopClassUid}: not a DICOS CT (…501.1), DX (…501.2.1, …501.2.2) or TDR (…501.3) object`);
  const sopInstanceUid = text(ds, TAG.sopInstanceUid) ?? text(ds, TAG.mediaStorageSopInstanceUid);
  if (!sopInstanceUid) throw new RejectedInputError('no SOP Instance UID (0008,0018): the object cannot be identified');
  const transferSyntaxUid = text(ds, TAG.transferSyntaxUid) ?? '';
  return { kind: known.kind, sopClassUid, sopClassName: known.name, sopInstanceUid, transferSyntaxUid };
}

/** A file cut between two elements parses; what the plugin needs of each object must then be there. */
function checkComplete(ds: DataSet, kind: DicosObjectKind, className: string): void {
  if (kind !== 'tdr') {
    if (!ds.elements[TAG.pixelData]) throw new RejectedInputError(`truncated or incomplete: ${className} without pixel data (7FE0,0010)`);
    return;
  }
  const missing =
    text(ds, TAG.alarmDecision) === undefined
      ? 'Alarm Decision (4010,1031)'
      : uint16(ds, TAG.totalObjects) === undefined
        ? 'Number of Total Objects (4010,1033)'
        : undefined;
  if (missing) throw new RejectedInputError(`incomplete TDR: no ${missing}; the file may be truncated`);
}

/**
 * Opens and checks a DICOS file: 128-byte preamble and 'DICM', the meta group, a complete element
 * structure, a known DICOS SOP class and an instance UID. Throws RejectedInputError with the reason.
 */
export async function readDicosFile(path: string, name: string): Promise<DicosFile> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const dataSet = await parseStructure(fh, size);
    const id = identify(dataSet);
    checkComplete(dataSet, id.kind, id.sopClassName);
    return { name, size, dataSet, ...id };
  } finally {
    await fh.close();
  }
}
