import { SaxesParser, type SaxesTagNS } from 'saxes';
import { RejectedInputError } from '@customs-hub/sdk';
import type { ParseLimits } from './limits.js';

/** One element of a parsed document: namespace-resolved, with the line it started on. */
export interface XmlElement {
  ns: string;
  local: string;
  prefix: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
  line: number;
}

export interface ParsedXml {
  root: XmlElement;
  /** Harmless oddities that were tolerated (an undeclared prefix), for the log. */
  warnings: string[];
}

/** Namespace given to elements whose prefix nobody declared; they are kept, never matched as N42. */
export const UNBOUND_NS = 'urn:customs-hub:n42:unbound-prefix';

/**
 * Parses one XML document into a small element tree. DTDs are refused outright (so no entity is
 * ever declared or expanded, internal or external); size, depth and element count are bounded.
 */
export function parseXml(text: string, name: string, limits: ParseLimits): ParsedXml {
  if (Buffer.byteLength(text, 'utf8') > limits.maxBytes) {
    throw new RejectedInputError(`${name}: document larger than the ${limits.maxBytes}-byte limit`);
  }
  const warnings: string[] = [];
  const unbound = new Set<string>();
  const parser = new SaxesParser({
    xmlns: true,
    position: true,
    fileName: name,
    resolvePrefix: (prefix: string) => {
      if (prefix === '') return '';
      if (!unbound.has(prefix)) {
        unbound.add(prefix);
        warnings.push(`${name}:${parser.line}: namespace prefix '${prefix.slice(0, 80)}' is not declared; its elements and attributes are ignored`);
      }
      return `${UNBOUND_NS}:${prefix}`;
    },
  });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let count = 0;
  const reject = (msg: string): never => {
    throw new RejectedInputError(`${name}:${parser.line}:${parser.column}: ${msg}`);
  };

  parser.on('error', (err) => {
    throw new RejectedInputError(err.message, { cause: err });
  });
  parser.on('doctype', () => reject('DOCTYPE declarations are not accepted (no DTDs or entities in N42 input)'));
  parser.on('opentag', (tag: SaxesTagNS) => {
    if (++count > limits.maxElements) reject(`more than ${limits.maxElements} elements`);
    if (stack.length >= limits.maxDepth) reject(`elements nested deeper than ${limits.maxDepth}`);
    const attrs: Record<string, string> = {};
    // N42 attributes are unqualified; prefixed ones (xsi:, a vendor's) never stand in for them.
    for (const a of Object.values(tag.attributes)) if (a.prefix === '' && a.name !== 'xmlns') attrs[a.local] = a.value;
    const el: XmlElement = { ns: tag.uri, local: tag.local, prefix: tag.prefix, attrs, children: [], text: '', line: parser.line };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root = el;
    stack.push(el);
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
  return { root, warnings };
}

/** Children of el with this local name in namespace ns. */
export function childrenOf(el: XmlElement, local: string, ns: string): XmlElement[] {
  return el.children.filter((c) => c.local === local && c.ns === ns);
}

/** The first child of el with this local name in namespace ns. */
export function childOf(el: XmlElement, local: string, ns: string): XmlElement | undefined {
  return el.children.find((c) => c.local === local && c.ns === ns);
}

/** Trimmed text of the first such child, or undefined when absent or empty. */
export function textOf(el: XmlElement, local: string, ns: string): string | undefined {
  const t = childOf(el, local, ns)?.text.trim();
  return t ? t : undefined;
}
