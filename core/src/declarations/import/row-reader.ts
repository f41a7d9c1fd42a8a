import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** One source row: its 1-based line number (of its first line), its cells by column, or why it is unreadable. */
export type SourceRow = { line: number; row: Record<string, unknown> } | { line: number; error: string };

/** Splits one CSV record (RFC 4180: quotes, doubled quotes inside them); null when a quote is still open. */
export function splitCsv(text: string, delimiter: string): string[] | null {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === delimiter) {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  if (quoted) return null;
  cells.push(cell);
  return cells;
}

/**
 * Streams the rows of a CSV (first line: header) or JSON lines file, never holding more than one record.
 * `onBytes` reports the bytes read, for a progress bar. A row with the wrong number of cells, or a line
 * that is not a JSON object, comes out as an error with its line number; the rest go on.
 */
export async function* readRows(file: string, format: 'csv' | 'jsonl', delimiter = ',', onBytes?: (bytes: number) => void): AsyncGenerator<SourceRow> {
  const stream = createReadStream(file);
  if (onBytes) {
    let n = 0;
    stream.on('data', (c) => {
      n += c.length;
      onBytes(n);
    });
  }
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let header: string[] | null = null;
  let lineNo = 0;
  let pending = '';
  let pendingStart = 0;
  for await (const raw of lines) {
    lineNo++;
    const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (format === 'jsonl') {
      if (line.trim() === '') continue;
      try {
        const v = JSON.parse(line) as unknown;
        if (typeof v !== 'object' || v === null || Array.isArray(v)) yield { line: lineNo, error: 'not a JSON object' };
        else yield { line: lineNo, row: v as Record<string, unknown> };
      } catch (err) {
        yield { line: lineNo, error: `not JSON: ${(err as Error).message}` };
      }
      continue;
    }
    const text = pending ? `${pending}\n${line}` : line;
    if (!pending) pendingStart = lineNo;
    const cells = splitCsv(text, delimiter);
    if (cells === null) {
      // A quoted cell goes on on the next line; a runaway quote is cut off after 100 lines.
      if (lineNo - pendingStart < 100) {
        pending = text;
        continue;
      }
      pending = '';
      yield { line: pendingStart, error: 'unterminated quoted cell' };
      continue;
    }
    pending = '';
    if (!header) {
      header = cells.map((c) => c.trim());
      continue;
    }
    if (text.trim() === '') continue;
    if (cells.length !== header.length) {
      yield { line: pendingStart, error: `${cells.length} cells, the header has ${header.length}` };
      continue;
    }
    const row: Record<string, unknown> = {};
    for (let i = 0; i < header.length; i++) row[header[i]!] = cells[i];
    yield { line: pendingStart, row };
  }
  if (pending) yield { line: pendingStart, error: 'unterminated quoted cell at the end of the file' };
}
