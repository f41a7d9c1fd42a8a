import { RejectedInputError } from '@customs-hub/sdk';

/**
 * A small description of a message's fields, read the same way from JSON (typed values) and from XML
 * (attributes and child elements, all text). One description keeps both formats accepting the same thing.
 */
export type FieldSpec =
  | { t: 'string'; max?: number; pattern?: RegExp; enum?: readonly string[] }
  | { t: 'number'; min?: number; max?: number }
  | { t: 'integer'; min?: number }
  | { t: 'boolean' }
  | { t: 'numbers'; maxItems: number; min?: number; max?: number }
  | { t: 'object'; spec: ObjectSpec }
  /** A list; in XML each item is a repeated child element named `xml`. */
  | { t: 'list'; item: ObjectSpec; maxItems: number; xml: string };

export interface ObjectSpec {
  fields: Record<string, FieldSpec>;
  required?: readonly string[];
  /** XML: the field that takes the element's text (an image's base64 data). */
  text?: string;
}

/** A generic view of one XML element: attributes, children in order, text. */
export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
  line: number;
}

export interface ReadContext {
  unknown: string[];
}

const pascal = (key: string) => key.charAt(0).toUpperCase() + key.slice(1);

function fail(path: string, msg: string): never {
  throw new RejectedInputError(`${path}: ${msg}`);
}

function show(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v) : JSON.stringify(v);
  return s === undefined ? String(v) : s;
}

/** A scalar from JSON (typed) or XML (text, converted). */
function scalar(spec: FieldSpec, v: unknown, path: string, fromXml: boolean): unknown {
  switch (spec.t) {
    case 'string': {
      if (typeof v !== 'string') fail(path, `must be a string, got ${show(v)}`);
      const s = fromXml ? v.trim() : v;
      if (spec.max !== undefined && s.length > spec.max) fail(path, `longer than ${spec.max} characters`);
      if (spec.enum && !spec.enum.includes(s)) fail(path, `must be one of ${spec.enum.join(', ')}, got ${show(s)}`);
      if (spec.pattern && !spec.pattern.test(s)) fail(path, `${show(s)} does not match ${spec.pattern}`);
      return s;
    }
    case 'number':
    case 'integer': {
      const n = fromXml && typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : v;
      if (typeof n !== 'number' || !Number.isFinite(n)) fail(path, `must be a number, got ${show(v)}`);
      if (spec.t === 'integer' && !Number.isInteger(n)) fail(path, `must be an integer, got ${show(v)}`);
      if (spec.min !== undefined && n < spec.min) fail(path, `must be >= ${spec.min}, got ${n}`);
      if (spec.t === 'number' && spec.max !== undefined && n > spec.max) fail(path, `must be <= ${spec.max}, got ${n}`);
      return n;
    }
    case 'boolean': {
      if (typeof v === 'boolean') return v;
      if (fromXml && typeof v === 'string' && /^(true|false|1|0)$/i.test(v.trim())) return /^(true|1)$/i.test(v.trim());
      return fail(path, `must be true or false, got ${show(v)}`);
    }
    case 'numbers': {
      const list =
        fromXml && typeof v === 'string'
          ? v
              .trim()
              .split(/[\s,;]+/)
              .filter(Boolean)
              .map(Number)
          : v;
      if (!Array.isArray(list)) fail(path, `must be a list of numbers, got ${show(v)}`);
      if (list.length > spec.maxItems) fail(path, `more than ${spec.maxItems} values`);
      return list.map((x, i) =>
        scalar(
          { t: 'number', ...(spec.min !== undefined ? { min: spec.min } : {}), ...(spec.max !== undefined ? { max: spec.max } : {}) },
          x,
          `${path}[${i}]`,
          false,
        ),
      );
    }
    default:
      return fail(path, 'internal: not a scalar');
  }
}

/** Reads a JSON object against spec; fields it does not know go to ctx.unknown. */
export function readJson(value: unknown, spec: ObjectSpec, path: string, ctx: ReadContext): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path || 'message', `must be an object, got ${show(value)}`);
  const out: Record<string, unknown> = {};
  const at = (k: string) => (path ? `${path}.${k}` : k);
  for (const [k, v] of Object.entries(value)) {
    const f = spec.fields[k];
    if (!f) {
      ctx.unknown.push(at(k));
      continue;
    }
    if (v === null) continue;
    if (f.t === 'object') out[k] = readJson(v, f.spec, at(k), ctx);
    else if (f.t === 'list') {
      if (!Array.isArray(v)) fail(at(k), `must be a list, got ${show(v)}`);
      if (v.length > f.maxItems) fail(at(k), `more than ${f.maxItems} items`);
      out[k] = v.map((item, i) => readJson(item, f.item, `${at(k)}[${i}]`, ctx));
    } else out[k] = scalar(f, v, at(k), false);
  }
  for (const r of spec.required ?? []) if (out[r] === undefined) fail(path || 'message', `'${r}' is required`);
  return out;
}

/**
 * Reads an XML element against spec: each field is an attribute named like it or a child element named by
 * `naming` (PascalCase by default; ISAPI uses the field's own camelCase name).
 */
export function readXml(el: XmlNode, spec: ObjectSpec, path: string, ctx: ReadContext, naming: (key: string) => string = pascal): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const used = new Set<XmlNode>();
  const at = (k: string) => (path ? `${path}.${k}` : k);
  for (const [k, f] of Object.entries(spec.fields)) {
    if (f.t === 'list') {
      const items = el.children.filter((c) => c.name === f.xml);
      items.forEach((c) => used.add(c));
      if (items.length > f.maxItems) fail(at(k), `more than ${f.maxItems} ${f.xml} elements`);
      if (items.length > 0) out[k] = items.map((c, i) => readXml(c, f.item, `${at(k)}[${i}]`, ctx, naming));
      continue;
    }
    const child = el.children.find((c) => c.name === naming(k));
    if (child) used.add(child);
    if (f.t === 'object') {
      if (child) out[k] = readXml(child, f.spec, at(k), ctx, naming);
      continue;
    }
    const raw = el.attrs[k] ?? (child ? child.text : undefined) ?? (spec.text === k ? el.text : undefined);
    if (child && child.children.length > 0) fail(`${at(k)} (line ${child.line})`, `${child.name} must hold text, not elements`);
    if (raw === undefined || (raw.trim() === '' && f.t !== 'string')) continue;
    out[k] = scalar(f, raw, at(k), true);
  }
  for (const name of Object.keys(el.attrs)) if (!(name in spec.fields)) ctx.unknown.push(at(`@${name}`));
  for (const c of el.children) if (!used.has(c)) ctx.unknown.push(at(c.name));
  for (const r of spec.required ?? []) if (out[r] === undefined || out[r] === '') fail(`${path || el.name} (line ${el.line})`, `'${r}' is required`);
  return out;
}
