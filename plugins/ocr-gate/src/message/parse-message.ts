import { RejectedInputError } from '@customs-hub/sdk';
import { readJson, readXml, type ObjectSpec, type ReadContext } from './fields.js';
import type { GateMessage, GateReading, ParsedMessage } from './gate-message.js';
import { HEARTBEAT_SPEC, READING_SPEC } from './message-spec.js';
import { parseXmlTree } from './xml-tree.js';

export interface ParseOptions {
  format: 'auto' | 'json' | 'xml';
  confidenceScale: 'unit' | 'percent';
}

/** What a message looks like when it does not parse: a hint at wrong framing or a wrong format. */
function looksLike(text: string): string {
  const head = text.slice(0, 16);
  // eslint-disable-next-line no-control-regex
  if (/^[\u0000-\u0008\u000e-\u001f]/.test(head)) return ' (it starts with binary bytes: is the gate sending a length header the config does not expect?)';
  return '';
}

function detect(text: string, format: ParseOptions['format']): 'json' | 'xml' {
  if (format !== 'auto') return format;
  const first = text.trimStart().charAt(0);
  if (first === '{') return 'json';
  if (first === '<') return 'xml';
  throw new RejectedInputError(`neither JSON nor XML: starts with ${JSON.stringify(text.slice(0, 20))}${looksLike(text)}`);
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Confidences to 0..1, checked against the configured scale; the time must carry its zone. */
function finish(reading: GateReading, scale: ParseOptions['confidenceScale']): GateReading {
  if (!ISO_TIME.test(reading.time) || Number.isNaN(Date.parse(reading.time))) {
    throw new RejectedInputError(`time: ${JSON.stringify(reading.time)} is not an ISO 8601 date-time with a zone (2026-12-01T10:15:00Z)`);
  }
  const top = scale === 'percent' ? 100 : 1;
  const norm = (v: number | undefined, path: string): number | undefined => {
    if (v === undefined) return undefined;
    if (v > top) throw new RejectedInputError(`${path}: confidence ${v} is above ${top} (the device's confidenceScale is '${scale}')`);
    return scale === 'percent' ? Math.round(v * 100) / 10000 : v;
  };
  const normList = (l: number[] | undefined, path: string) => l?.map((v, i) => norm(v, `${path}[${i}]`)!);
  const c = norm(reading.confidence, 'confidence');
  if (c !== undefined) reading.confidence = c;
  reading.containers.forEach((x, i) => {
    const v = norm(x.confidence, `containers[${i}].confidence`);
    if (v !== undefined) x.confidence = v;
    const l = normList(x.charConfidence, `containers[${i}].charConfidence`);
    if (l) x.charConfidence = l;
  });
  reading.plates.forEach((x, i) => {
    const v = norm(x.confidence, `plates[${i}].confidence`);
    if (v !== undefined) x.confidence = v;
    const l = normList(x.charConfidence, `plates[${i}].charConfidence`);
    if (l) x.charConfidence = l;
  });
  (reading.items ?? []).forEach((x, i) => {
    const v = norm(x.confidence, `items[${i}].confidence`);
    if (v !== undefined) x.confidence = v;
  });
  reading.seals.forEach((x, i) => {
    const v = norm(x.confidence, `seals[${i}].confidence`);
    if (v !== undefined) x.confidence = v;
  });
  return reading;
}

function asReading(o: Record<string, unknown>): GateReading {
  return { containers: [], plates: [], items: [], seals: [], images: [], ...o } as unknown as GateReading;
}

function fromJson(text: string, ctx: ReadContext): GateMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new RejectedInputError(`JSON: ${(err as Error).message}${looksLike(text)}`, { cause: err });
  }
  const type = (value as { type?: unknown } | null)?.type;
  if (type === 'HEARTBEAT') return readJson(value, HEARTBEAT_SPEC, '', ctx) as unknown as GateMessage;
  return asReading(readJson(value, READING_SPEC, '', ctx));
}

function fromXml(text: string, name: string, ctx: ReadContext): GateMessage {
  const root = parseXmlTree(text, name);
  let spec: ObjectSpec;
  if (root.name === 'Heartbeat') {
    const hb = readXml(root, { fields: { time: HEARTBEAT_SPEC.fields.time! } }, '', ctx);
    return { type: 'HEARTBEAT', ...hb } as GateMessage;
  }
  if (root.name === 'GateReading') spec = READING_SPEC;
  else throw new RejectedInputError(`XML root <${root.name}> is not a gate message (expected <GateReading> or <Heartbeat>)`);
  return asReading(readXml(root, spec, '', ctx));
}

/** Parses one gate message (JSON or XML); throws RejectedInputError with the field or line at fault. */
export function parseMessage(text: string, name: string, options: ParseOptions): ParsedMessage {
  const format = detect(text, options.format);
  const ctx: ReadContext = { unknown: [] };
  const message = format === 'json' ? fromJson(text, ctx) : fromXml(text, name, ctx);
  return { message: message.type === 'HEARTBEAT' ? message : finish(message, options.confidenceScale), format, unknownFields: ctx.unknown };
}
