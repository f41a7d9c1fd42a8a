import { RejectedInputError } from '@customs-hub/sdk';

/** One document of a stream or file, with where it started. */
export interface DocumentPiece {
  text: string;
  /** Byte offset of the document's first byte in the stream or file. */
  offset: number;
  /** Set when the document ended before its closing root tag (its frame closed, or the input ended). */
  cut?: string;
}

// A root end tag, or a framing byte: STX (0x02) opens and ETX (0x03) closes a document in
// Radiation Solutions (RS-350 style) streams.
// eslint-disable-next-line no-control-regex -- STX and ETX frame N42 documents on some instruments' serial links
const BOUNDARY = /<\/(?:[A-Za-z_][\w.-]*:)?(?:RadInstrumentData|N42InstrumentData)\s*>|[\x02\x03]/g;
const LEADING_SPACE = /^[\s\0]*/;

/**
 * Splits a stream of N42 documents, as portals send them on one connection or write them into one
 * file: back to back (split at each root end tag) or framed with STX/ETX control bytes (the framing
 * is removed). A frame that closes before its root end tag yields a cut piece. Feed chunks as they
 * arrive; complete documents come out with their byte offsets.
 */
export class DocumentSplitter {
  private buffer = '';
  private scanned = 0;
  /** Byte offset of buffer[0] in the whole stream. */
  private consumed = 0;
  /** A position in the buffer and its byte offset from buffer[0], so offsets are counted once. */
  private cursor = { index: 0, bytes: 0 };

  constructor(private readonly maxBytes: number) {}

  /** Adds text; returns the documents it completed. Throws when one document outgrows maxBytes. */
  push(text: string): DocumentPiece[] {
    this.buffer += text;
    const pieces: DocumentPiece[] = [];
    BOUNDARY.lastIndex = Math.max(0, this.scanned - 64);
    let cut = 0;
    for (let m = BOUNDARY.exec(this.buffer); m; m = BOUNDARY.exec(this.buffer)) {
      const framing = m[0].length === 1;
      const end = m.index + (framing ? 0 : m[0].length);
      const piece = this.piece(cut, end);
      if (piece) {
        if (framing) piece.cut = m[0] === '\x03' ? 'its frame closed (ETX) before the closing root tag' : 'a new frame (STX) began before the closing root tag';
        pieces.push(piece);
      }
      cut = m.index + m[0].length;
    }
    this.drop(cut);
    this.scanned = this.buffer.length;
    if (this.buffer.length > this.maxBytes) {
      const size = this.buffer.length;
      this.drop(this.buffer.length);
      this.scanned = 0;
      throw new RejectedInputError(`document exceeds the ${this.maxBytes}-byte limit without a closing root tag (${size} bytes buffered)`);
    }
    return pieces;
  }

  /** What is left after the last complete document: nothing, or the start of a cut-off one. */
  rest(): DocumentPiece | null {
    const piece = this.piece(0, this.buffer.length);
    if (piece) piece.cut = 'the input ended before its closing root tag';
    return piece;
  }

  /** Bytes taken so far, complete documents and framing. */
  get offset(): number {
    return this.consumed;
  }

  private piece(from: number, to: number): DocumentPiece | null {
    const raw = this.buffer.slice(from, to);
    const lead = LEADING_SPACE.exec(raw)![0].length;
    const text = raw.slice(lead).trimEnd();
    if (text === '') return null;
    return { text, offset: this.consumed + this.bytesTo(from + lead) };
  }

  /** Bytes from buffer[0] to buffer[index]; indices asked for only grow between drops. */
  private bytesTo(index: number): number {
    if (index < this.cursor.index) this.cursor = { index: 0, bytes: 0 };
    this.cursor = { index, bytes: this.cursor.bytes + Buffer.byteLength(this.buffer.slice(this.cursor.index, index)) };
    return this.cursor.bytes;
  }

  private drop(chars: number): void {
    if (chars === 0) return;
    this.consumed += this.bytesTo(chars);
    this.buffer = this.buffer.slice(chars);
    this.cursor = { index: 0, bytes: 0 };
  }
}

/** All documents in one text, in order; a trailing cut-off document comes last, marked cut. */
export function splitDocuments(text: string, maxBytes: number): DocumentPiece[] {
  const splitter = new DocumentSplitter(Math.max(maxBytes, Buffer.byteLength(text)));
  const pieces = splitter.push(text);
  const rest = splitter.rest();
  if (rest) pieces.push(rest);
  return pieces;
}

/** Does this look like the start of an N42 file? Used to pick the reader for a file. */
export function looksLikeN42(head: string): boolean {
  return /<(?:[A-Za-z_][\w.-]*:)?(?:RadInstrumentData|N42InstrumentData)[\s>/]/.test(head);
}
