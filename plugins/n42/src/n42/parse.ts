import { createHash } from 'node:crypto';
import { quoteValue, RejectedInputError, type ObservationDraft, type RawRef } from '@customs-hub/sdk';
import type { ParseLimits } from '../xml/limits.js';
import { parseXml, UNBOUND_NS, type XmlElement } from '../xml/tree.js';
import { NS_2006, NS_2011, type MappedDocument } from './document.js';
import { splitDocuments } from './split.js';
import { map2006 } from './v2006.js';
import { map2011 } from './v2011.js';

/** One parsed document of a file or stream, with its content hash. */
export interface ReadDocument extends MappedDocument {
  sha256: string;
}

/** Parses and maps one N42 document; throws RejectedInputError with a reason naming the line. */
export function parseDocument(text: string, name: string, limits: ParseLimits): ReadDocument {
  const { root, warnings } = parseXml(text, name, limits);
  const sha256 = createHash('sha256').update(text).digest('hex');
  const expected = root.local === 'RadInstrumentData' ? NS_2011 : root.local === 'N42InstrumentData' ? NS_2006 : null;
  if (expected === null) {
    throw new RejectedInputError(`${name}:${root.line}: root element ${quoteValue(root.local)} is not an N42 document (expected RadInstrumentData or N42InstrumentData)`);
  }
  if (root.ns.startsWith(UNBOUND_NS)) throw new RejectedInputError(`${name}:${root.line}: root element prefix ${quoteValue(root.prefix)} is not declared`);
  if (root.ns === '') {
    // Some writers omit the namespace; the element names are unambiguous, so read them as N42.
    warnings.push(`${name}:${root.line}: ${root.local} has no namespace; read as ${expected}`);
    adoptNamespace(root, expected);
  } else if (root.ns !== expected) {
    throw new RejectedInputError(`${name}:${root.line}: ${root.local} is in namespace ${quoteValue(root.ns, 120)}, expected '${expected}'`);
  }
  const mapped = expected === NS_2011 ? map2011(root, limits, warnings) : map2006(root, limits, warnings);
  return { ...mapped, sha256 };
}

function adoptNamespace(el: XmlElement, ns: string): void {
  if (el.ns === '') el.ns = ns;
  for (const c of el.children) adoptNamespace(c, ns);
}

/** Every document of a file or stream text; rejects the whole text if any document is bad. */
export function parseDocuments(text: string, name: string, limits: ParseLimits): ReadDocument[] {
  const parts = splitDocuments(text, limits.maxBytes);
  if (parts.length === 0) throw new RejectedInputError(`${name}: empty file`);
  return parts.map((p, i) => parseDocument(p, parts.length > 1 ? `${name}#${i + 1}` : name, limits));
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
