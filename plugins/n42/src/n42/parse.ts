import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { quoteValue, RejectedInputError, type ObservationDraft, type RawRef, type StoreRaw } from '@customs-hub/sdk';
import { parseXml, UNBOUND_NS, type XmlElement } from '../xml/tree.js';
import { NS_2006, NS_2011, type MappedDocument } from './document.js';
import type { ReadOptions } from './read-options.js';
import { splitDocuments, type DocumentPiece } from './split.js';
import { map2006 } from './v2006.js';
import { map2011 } from './v2011.js';

/** One parsed document of a file or stream, with its content hash. */
export interface ReadDocument extends MappedDocument {
  sha256: string;
}

/** A file's or stream's documents: every whole one, and the cut-off last one if the input ended inside it. */
export interface ReadDocuments {
  docs: ReadDocument[];
  /** Set when the last document was cut off after whole ones: where it began and why it is incomplete. */
  cut?: { offset: number; bytes: number; message: string };
}

/** Parses and maps one N42 document; throws RejectedInputError with a reason naming the line. */
export function parseDocument(text: string, name: string, options: ReadOptions): ReadDocument {
  const { root, warnings } = parseXml(text, name, options);
  const sha256 = createHash('sha256').update(text).digest('hex');
  const expected = root.local === 'RadInstrumentData' ? NS_2011 : root.local === 'N42InstrumentData' ? NS_2006 : null;
  if (expected === null) {
    throw new RejectedInputError(
      `${name}:${root.line}: root element ${quoteValue(root.local)} is not an N42 document (expected RadInstrumentData or N42InstrumentData)`,
    );
  }
  if (root.ns.startsWith(UNBOUND_NS)) throw new RejectedInputError(`${name}:${root.line}: root element prefix ${quoteValue(root.prefix)} is not declared`);
  if (root.ns === '') {
    // Some writers omit the namespace; the element names are unambiguous, so read them as N42.
    warnings.push(`${name}:${root.line}: ${root.local} has no namespace; read as ${expected}`);
    adoptNamespace(root, expected);
  } else if (root.ns !== expected) {
    throw new RejectedInputError(`${name}:${root.line}: ${root.local} is in namespace ${quoteValue(root.ns, 120)}, expected '${expected}'`);
  }
  const mapped = expected === NS_2011 ? map2011(root, options, warnings) : map2006(root, options, warnings);
  return { ...mapped, sha256 };
}

function adoptNamespace(el: XmlElement, ns: string): void {
  if (el.ns === '') el.ns = ns;
  for (const c of el.children) adoptNamespace(c, ns);
}

/**
 * Every document of a file or stream text. Any bad document rejects the whole text, except a last
 * document cut off after whole ones (a capture of a dropped connection): the whole ones are read and
 * the cut one is reported with its byte offset.
 */
export function parseDocuments(text: string, name: string, options: ReadOptions): ReadDocuments {
  const pieces = splitDocuments(text, options.maxBytes);
  if (pieces.length === 0) throw new RejectedInputError(`${name}: empty file`);
  const last = pieces[pieces.length - 1]!;
  const trailingCut = pieces.length > 1 && last.cut !== undefined && pieces.slice(0, -1).every((p) => p.cut === undefined);
  const whole = trailingCut ? pieces.slice(0, -1) : pieces;
  const docs = whole.map((p, i) => parseDocument(p.text, pieces.length > 1 ? `${name}#${i + 1}` : name, options));
  if (!trailingCut) return { docs };
  return { docs, cut: { offset: last.offset, bytes: Buffer.byteLength(last.text), message: cutMessage(`${name} document ${pieces.length}`, last) } };
}

/** "x.n42 document 3 (from byte 8123, 412 bytes) is cut off: …; not ingested" */
export function cutMessage(label: string, piece: DocumentPiece): string {
  return `${label} (from byte ${piece.offset}, ${Buffer.byteLength(piece.text)} bytes) is cut off: ${piece.cut ?? 'incomplete'}; not ingested`;
}

/**
 * The drafts of a document, ready to emit: each gets an idempotency key made of the document's UUID
 * (when given), its content hash and its position, so re-reading the same bytes yields the same keys
 * while two documents that reuse a UUID do not collide.
 */
export function keyedDrafts(doc: ReadDocument, raw: RawRef[]): ObservationDraft[] {
  const prefix = `${doc.uuid ? doc.uuid.slice(0, 64) : 'sha256'}/${doc.sha256.slice(0, 16)}`;
  return doc.drafts.map((d, i) => ({ ...d, sourceId: `${prefix}#${i}`, raw }));
}

/** Stores a document's embedded multimedia and returns its keyed drafts, each referencing the source and that evidence. */
export async function draftsWithEvidence(doc: ReadDocument, source: RawRef, storeRaw: StoreRaw): Promise<ObservationDraft[]> {
  const raw = [source];
  for (const a of doc.attachments.slice(0, 99)) {
    raw.push(await storeRaw(Readable.from([a.bytes]), { name: a.name, contentType: a.contentType, role: a.role }));
  }
  return keyedDrafts(doc, raw);
}

/** Decodes file bytes: UTF-8, or UTF-16 with a byte-order mark; invalid encoding is rejected. */
export function decodeText(bytes: Buffer, name: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new RejectedInputError(`${name}: not valid UTF-8 text`);
  }
}
