import { SaxesParser, type SaxesTagNS } from 'saxes';
import { RejectedInputError } from '@customs-hub/sdk';
import type { XmlNode } from './fields.js';

const MAX_DEPTH = 16;
const MAX_ELEMENTS = 10_000;

/**
 * Parses one gate message into a small element tree, by local names (any namespace). A DOCTYPE is
 * refused outright, so no entity is ever declared or expanded (internal or external); depth and
 * element count are bounded. Truncated or malformed XML is rejected with line and column.
 */
export function parseXmlTree(text: string, name: string): XmlNode {
  const parser = new SaxesParser({ xmlns: true, position: true, fileName: name, resolvePrefix: () => 'urn:unbound' });
  const stack: XmlNode[] = [];
  let root: XmlNode | null = null;
  let count = 0;
  const reject = (msg: string): never => {
    throw new RejectedInputError(`${name}:${parser.line}:${parser.column}: ${msg}`);
  };

  parser.on('error', (err) => {
    throw new RejectedInputError(`XML: ${err.message}`, { cause: err });
  });
  parser.on('doctype', () => reject('DOCTYPE declarations are not accepted (no DTDs or entities in gate messages)'));
  parser.on('opentag', (tag: SaxesTagNS) => {
    if (++count > MAX_ELEMENTS) reject(`more than ${MAX_ELEMENTS} elements`);
    if (stack.length >= MAX_DEPTH) reject(`elements nested deeper than ${MAX_DEPTH}`);
    const attrs: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) if (a.prefix !== 'xmlns' && a.name !== 'xmlns') attrs[a.local] = a.value;
    const node: XmlNode = { name: tag.local, attrs, children: [], text: '', line: parser.line };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else root = node;
    stack.push(node);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const onText = (t: string) => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.write(text).close();
  if (!root) throw new RejectedInputError(`${name}: no root element`);
  return root;
}
