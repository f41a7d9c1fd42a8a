import Boom from '@hapi/boom';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { describeErrors } from '@customs-hub/sdk/runtime';

/** Query strings: numbers arrive as text, so this instance coerces; unknown parameters are an error. */
const queryAjv = new Ajv({ allErrors: false, coerceTypes: true, useDefaults: true, strict: false });
addFormats(queryAjv);

/** Query parameters every authenticated route accepts (EventSource clients pass the token this way). */
const common = { access_token: { type: 'string' } };

/** A validator carries its JSON Schema, so the OpenAPI document is built from the very schema that validates. */
export interface DocumentedValidator<T> {
  (value: T): Promise<T>;
  schema: Record<string, unknown>;
}

function documented<T>(schema: Record<string, unknown>, fn: (value: T) => Promise<T>): DocumentedValidator<T> {
  return Object.assign(fn, { schema });
}

/** "query parameter 'limit' must be <= 5000", "unknown query parameter 'foo'". */
function describeParam(where: string, errors: ValidateFunction['errors']): string {
  const e = errors?.[0];
  if (!e) return `invalid ${where} parameters`;
  if (e.keyword === 'additionalProperties') return `unknown ${where} parameter '${(e.params as { additionalProperty: string }).additionalProperty}'`;
  if (e.keyword === 'required') return `missing ${where} parameter '${(e.params as { missingProperty: string }).missingProperty}'`;
  const name = e.instancePath.slice(1).split('/')[0];
  return `${where} parameter '${name}' ${e.message ?? 'is invalid'}`;
}

/**
 * A valid RFC 3339 date-time as an ISO instant. JavaScript dates have no leap second: 23:59:60 becomes the
 * last millisecond of 23:59:59, so a range that names it still includes what the device stamped with it.
 */
export function instant(name: string, value: string): string {
  const leap = value.replace(/^(.*T\d\d:\d\d:)60(\.\d+)?/i, '$159.999');
  const t = new Date(leap);
  if (Number.isNaN(t.getTime())) throw Boom.badRequest(`query parameter '${name}' is not a time JavaScript can represent: ${value.slice(0, 40)}`);
  return t.toISOString();
}

/** A hapi `validate.query` function from a JSON Schema of the parameters; 400 names the parameter. */
export function queryValidator(properties: Record<string, object>): DocumentedValidator<object> {
  const schema = { type: 'object', additionalProperties: false, properties: { ...properties, ...common } };
  const fn = queryAjv.compile(schema);
  const times = Object.entries(properties)
    .filter(([, p]) => (p as { format?: string }).format === 'date-time')
    .map(([k]) => k);
  return documented(schema, async (value) => {
    const copy = { ...value } as Record<string, unknown>;
    if (!fn(copy)) throw Boom.badRequest(describeParam('query', fn.errors));
    // Date-times arrive normalized: handlers can pass them to the database as they are.
    for (const k of times) if (typeof copy[k] === 'string') copy[k] = instant(k, copy[k] as string);
    return copy;
  });
}

/** The same for path parameters. */
export function paramsValidator(properties: Record<string, object>): DocumentedValidator<object> {
  const schema = { type: 'object', additionalProperties: false, required: Object.keys(properties), properties };
  const fn = queryAjv.compile(schema);
  return documented(schema, async (value) => {
    const copy = { ...value };
    if (!fn(copy)) throw Boom.badRequest(describeParam('path', fn.errors));
    return copy;
  });
}

/** A body validator from a compiled data-model schema (SDK `createAjv()`): 400 names the field. */
export function payloadValidator<T>(fn: ValidateFunction<T>, what: string): DocumentedValidator<unknown> {
  return documented<unknown>(fn.schema as Record<string, unknown>, async (value: unknown) => {
    if (!fn(value)) throw Boom.badRequest(`invalid ${what}: ${describeErrors(fn.errors)}`);
    return value;
  });
}
