import { parseDicom, type DataSet, type Element } from 'dicom-parser';

/** What a fresh copy gets: new UIDs from `random`, times from `now`, and optionally a bag id. */
export interface FreshCopyOptions {
  random: () => number;
  now: Date;
  /** Written into the Object of Inspection ID (0010,0020); a longer one than the sample's (an air waybill, a bag tag) widens the element. */
  ooiId?: string;
  /** Written into a TDR's Alarm Decision (4010,1031): the samples say CLEAR even with a threat. */
  alarmDecision?: 'ALARM' | 'CLEAR';
}

const WELL_KNOWN_UID = '1.2.840.10008.';
const IMPLEMENTATION_CLASS_UID = 'x00020012';
const OOI_ID = 'x00100020';
const ALARM_DECISION = 'x40101031';

function* elements(ds: DataSet): Generator<Element> {
  for (const el of Object.values(ds.elements)) {
    yield el;
    for (const item of el.items ?? []) if (item.dataSet) yield* elements(item.dataSet);
  }
}

function freshUid(old: string, random: () => number): string {
  return old
    .split('.')
    .map((part) => Array.from(part, (_, i) => String(i === 0 && part.length > 1 ? 1 + Math.floor(random() * 9) : Math.floor(random() * 10))).join(''))
    .join('.');
}

function stamp(value: string, now: Date): string | undefined {
  const iso = now.toISOString();
  const date = iso.slice(0, 10).replace(/-/g, '');
  const time = `${iso.slice(11, 19).replace(/:/g, '')}.${iso.slice(20, 23)}000`;
  if (/^\d{8}$/.test(value)) return date;
  if (/^\d{6}\.\d{6}$/.test(value)) return time;
  if (/^\d{14}\.\d{6}$/.test(value)) return date + time;
  if (/^\d{14}\.\d{6}[+-]\d{4}$/.test(value)) return `${date}${time}+0000`;
  return undefined;
}

/**
 * A copy of a DICOS file with fresh instance UIDs (consistent between the meta group and the data
 * set), current dates and times, a new object-of-inspection id and, for a TDR, an alarm decision. Every value is rewritten in
 * place with its exact length, so no element length, group length or offset changes.
 */
export function freshCopy(original: Uint8Array, options: FreshCopyOptions): Buffer {
  const out = Buffer.from(original);
  const ds = parseDicom(new Uint8Array(out.buffer, out.byteOffset, out.length));
  const uids = new Map<string, string>();
  const read = (el: Element) => out.toString('latin1', el.dataOffset, el.dataOffset + el.length).replace(/[\0 ]+$/, '');
  const write = (el: Element, value: string) => out.write(value, el.dataOffset, value.length, 'latin1');
  const top = ds.elements[OOI_ID];
  let widen: Element | null = options.ooiId && top ? top : null;
  for (const el of elements(ds)) {
    if (el.items || el.length === 0 || el.length > 64) continue;
    const value = read(el);
    if (el.vr === 'UI' && el.tag !== IMPLEMENTATION_CLASS_UID && !value.startsWith(WELL_KNOWN_UID) && /^[\d.]+$/.test(value)) {
      if (!uids.has(value)) uids.set(value, freshUid(value, options.random));
      write(el, uids.get(value)!);
    } else if (el.vr === 'DA' || el.vr === 'TM' || el.vr === 'DT') {
      const v = stamp(value, options.now);
      if (v !== undefined) write(el, v);
    } else if (el.tag === OOI_ID && options.ooiId && options.ooiId.length <= el.length) {
      write(el, options.ooiId.padEnd(el.length, ' '));
      widen = null;
    } else if (el.tag === ALARM_DECISION && options.alarmDecision && options.alarmDecision.length <= el.length) {
      write(el, options.alarmDecision.padEnd(el.length, ' '));
    }
  }
  if (widen && ds.elements.x00100000) throw new Error('dicos simulator: the sample has a Patient group length; its OOI id cannot be widened');
  return widen ? widened(out, widen, options.ooiId!) : out;
}

/**
 * The copy with a top-level explicit-VR LO element (the OOI id) holding a longer value: its 2-byte length
 * rewritten and the bytes after it shifted. Nothing in a DICOS file points at absolute offsets, and the
 * data set carries no group lengths the samples would need updated (refused if one is there).
 */
function widened(out: Buffer, el: Element, value: string): Buffer {
  if (el.vr !== 'LO' || value.length > 64) throw new Error(`dicos simulator: OOI id ${JSON.stringify(value)} does not fit an LO element`);
  if (out.readUInt16LE(el.dataOffset - 2) !== el.length) throw new Error("dicos simulator: the sample's OOI id element is not explicit VR little endian");
  const padded = value.length % 2 === 0 ? value : `${value} `;
  const length = Buffer.alloc(2);
  length.writeUInt16LE(padded.length);
  return Buffer.concat([out.subarray(0, el.dataOffset - 2), length, Buffer.from(padded, 'latin1'), out.subarray(el.dataOffset + el.length)]);
}
