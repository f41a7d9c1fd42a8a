import { LineCounter, parseDocument, isNode, type Document } from 'yaml';

/** A parsed YAML document that can tell the line of any key path. */
export class YamlSource {
  private readonly lines = new LineCounter();
  readonly doc: Document;
  readonly errors: Array<{ line: number; message: string }>;

  constructor(
    readonly file: string,
    text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    this.errors = this.doc.errors.map((e) => ({ line: this.lines.linePos(e.pos[0]).line, message: e.message.split('\n')[0]! }));
  }

  toJS(): unknown {
    return this.doc.toJS({ maxAliasCount: 100 });
  }

  /** Line of the deepest existing node on a JSON pointer path ("/lanes/0/devices/1/config/port"). */
  lineOf(pointer: string): number | null {
    const parts = pointer
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    for (let n = parts.length; n >= 0; n--) {
      const path = parts.slice(0, n).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
      const node = n === 0 ? this.doc.contents : this.doc.getIn(path, true);
      if (isNode(node) && node.range) return this.lines.linePos(node.range[0]).line;
    }
    return null;
  }
}
