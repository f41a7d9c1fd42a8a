import { RejectedInputError } from '@customs-hub/sdk';

const ROOT_END = /<\/(?:[A-Za-z_][\w.-]*:)?(?:RadInstrumentData|N42InstrumentData)\s*>/g;

/**
 * Splits a stream of back-to-back N42 documents at each root end tag, as portals send them on one
 * connection or write them into one file. Feed chunks as they arrive; complete documents come out.
 */
export class DocumentSplitter {
  private buffer = '';
  private scanned = 0;

  constructor(private readonly maxBytes: number) {}

  /** Adds text; returns the documents it completed. Throws when one document outgrows maxBytes. */
  push(text: string): string[] {
    this.buffer += text;
    const docs: string[] = [];
    ROOT_END.lastIndex = Math.max(0, this.scanned - 64);
    let cut = 0;
    for (let m = ROOT_END.exec(this.buffer); m; m = ROOT_END.exec(this.buffer)) {
      const end = m.index + m[0].length;
      docs.push(this.buffer.slice(cut, end).trim());
      cut = end;
    }
    this.buffer = this.buffer.slice(cut);
    this.scanned = this.buffer.length;
    if (this.buffer.length > this.maxBytes) {
      const size = this.buffer.length;
      this.buffer = '';
      this.scanned = 0;
      throw new RejectedInputError(`document exceeds the ${this.maxBytes}-byte limit without a closing root tag (${size} bytes buffered)`);
    }
    return docs;
  }

  /** What is left after the last complete document: empty, or the start of a truncated one. */
  rest(): string {
    return this.buffer.trim();
  }
}

/** All documents in one text; a trailing incomplete document is returned too, for the parser to reject. */
export function splitDocuments(text: string, maxBytes: number): string[] {
  const splitter = new DocumentSplitter(Math.max(maxBytes, text.length));
  const docs = splitter.push(text);
  const rest = splitter.rest();
  if (rest) docs.push(rest);
  return docs;
}

/** Does this look like the start of an N42 file? Used to pick the reader for a file. */
export function looksLikeN42(head: string): boolean {
  return /<(?:[A-Za-z_][\w.-]*:)?(?:RadInstrumentData|N42InstrumentData)[\s>/]/.test(head);
}
