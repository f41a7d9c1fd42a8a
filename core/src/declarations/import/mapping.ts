import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import { describeErrors } from '@customs-hub/sdk/runtime';

/** One mapped field: a column (CSV header or JSON key) and how to read it. */
export interface FieldRule {
  column: string;
  type: 'string' | 'number' | 'integer';
}

/** How rows of a file become Declaration v2 bodies and outcomes. */
export interface ImportMapping {
  format: 'csv' | 'jsonl';
  delimiter: string;
  fields: Record<string, FieldRule>;
  constants: Record<string, unknown>;
  outcome: { violation: { column: string; true: string[] }; critical?: { column: string; true: string[] }; knownAfterDays: number } | null;
}

const RULE = {
  oneOf: [
    { type: 'string', minLength: 1 },
    {
      type: 'object',
      additionalProperties: false,
      required: ['column'],
      properties: { column: { type: 'string', minLength: 1 }, type: { enum: ['string', 'number', 'integer'] } },
    },
  ],
};
const FLAG = {
  type: 'object',
  additionalProperties: false,
  required: ['column', 'true'],
  properties: { column: { type: 'string', minLength: 1 }, true: { type: 'array', minItems: 1, items: { type: 'string' } } },
};
const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['fields'],
  properties: {
    format: { enum: ['csv', 'jsonl'] },
    delimiter: { type: 'string', minLength: 1, maxLength: 1 },
    fields: { type: 'object', minProperties: 1, propertyNames: { pattern: '^[A-Za-z0-9]+(\\.[A-Za-z0-9]+)*$' }, additionalProperties: RULE },
    constants: { type: 'object', propertyNames: { pattern: '^[A-Za-z0-9]+(\\.[A-Za-z0-9]+)*$' } },
    outcome: {
      type: 'object',
      additionalProperties: false,
      required: ['violation'],
      properties: { violation: FLAG, critical: FLAG, knownAfterDays: { type: 'integer', minimum: 0, maximum: 3650 } },
    },
  },
};
const validate = new Ajv({ allErrors: false, strict: false }).compile(SCHEMA);

export class MappingError extends Error {
  readonly code = 'MAPPING_INVALID';
}

/** Reads and checks a mapping file (YAML or JSON); errors name the file and the key. */
export function loadMapping(file: string): ImportMapping {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new MappingError(`mapping ${file}: ${(err as Error).message}`);
  }
  if (!validate(raw)) throw new MappingError(`mapping ${file}: ${describeErrors(validate.errors)}`);
  const m = raw as {
    format?: 'csv' | 'jsonl';
    delimiter?: string;
    fields: Record<string, string | { column: string; type?: FieldRule['type'] }>;
    constants?: Record<string, unknown>;
    outcome?: { violation: { column: string; true: string[] }; critical?: { column: string; true: string[] }; knownAfterDays?: number };
  };
  if (!('number' in m.fields)) throw new MappingError(`mapping ${file}: /fields: must map 'number' (the declaration number: imports are idempotent by it)`);
  const fields: Record<string, FieldRule> = {};
  for (const [path, r] of Object.entries(m.fields))
    fields[path] = typeof r === 'string' ? { column: r, type: 'string' } : { column: r.column, type: r.type ?? 'string' };
  return {
    format: m.format ?? 'csv',
    delimiter: m.delimiter ?? ',',
    fields,
    constants: m.constants ?? {},
    outcome: m.outcome
      ? { violation: m.outcome.violation, ...(m.outcome.critical ? { critical: m.outcome.critical } : {}), knownAfterDays: m.outcome.knownAfterDays ?? 0 }
      : null,
  };
}

/** Sets a dotted path ("goods.0.value.amount") in an object, making objects and arrays on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let o: Record<string, unknown> | unknown[] = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const k = parts[i]!;
    const nextIsIndex = /^\d+$/.test(parts[i + 1]!);
    const key = Array.isArray(o) ? Number(k) : k;
    let child = (o as Record<string | number, unknown>)[key];
    if (child === undefined) {
      child = nextIsIndex ? [] : {};
      (o as Record<string | number, unknown>)[key] = child;
    }
    o = child as Record<string, unknown>;
  }
  const last = parts[parts.length - 1]!;
  (o as Record<string | number, unknown>)[Array.isArray(o) ? Number(last) : last] = value;
}

/** What one source row maps to: a body to check, and its outcome if the mapping has one. */
export interface MappedRow {
  body: Record<string, unknown>;
  outcome: { violation: boolean; critical: boolean } | null;
}

/**
 * Maps one row (column → text, or a parsed JSON object) by the mapping. Empty cells are left out; a cell
 * that should be a number and is not is an error naming the column.
 */
export function mapRow(row: Record<string, unknown>, m: ImportMapping): MappedRow {
  const body: Record<string, unknown> = { schema: 'declaration/v2' };
  for (const [path, value] of Object.entries(m.constants)) setPath(body, path, value);
  for (const [path, rule] of Object.entries(m.fields)) {
    const v = row[rule.column];
    if (v === undefined || v === null || v === '') continue;
    if (rule.type === 'string') {
      setPath(body, path, String(v));
      continue;
    }
    const n = typeof v === 'number' ? v : Number(String(v).trim());
    if (String(v).trim() === '' || !Number.isFinite(n) || (rule.type === 'integer' && !Number.isInteger(n))) {
      throw new Error(`column '${rule.column}' (${path}): '${String(v)}' is not ${rule.type === 'integer' ? 'an integer' : 'a number'}`);
    }
    setPath(body, path, n);
  }
  let outcome: MappedRow['outcome'] = null;
  if (m.outcome) {
    const flag = (f: { column: string; true: string[] }) => {
      const v = row[f.column];
      if (v === undefined || v === null || v === '') return null;
      return f.true.includes(String(v));
    };
    const violation = flag(m.outcome.violation);
    if (violation !== null) outcome = { violation, critical: m.outcome.critical ? flag(m.outcome.critical) === true : false };
  }
  return { body, outcome };
}
