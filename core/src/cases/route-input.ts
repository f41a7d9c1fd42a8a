import Boom from '@hapi/boom';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describeErrors } from '@customs-hub/sdk';

// Parameters arrive as text and are coerced; bodies are JSON and must already have the right types.
const paramAjv = addFormats(new Ajv({ allErrors: false, coerceTypes: true, useDefaults: true, strict: false }));
const bodyAjv = addFormats(new Ajv({ allErrors: false, useDefaults: true, strict: false }));

/** A hapi validate function from a JSON Schema; a 400 names the parameter or field. */
export function validator(where: string, schema: Record<string, unknown>, body = !where.includes('parameter')): (value: unknown) => Promise<unknown> {
  const fn = (body ? bodyAjv : paramAjv).compile({ type: 'object', additionalProperties: false, ...schema });
  return async (value) => {
    const copy = { ...(value as object) };
    if (!fn(copy)) throw Boom.badRequest(`invalid ${where}: ${describeErrors(fn.errors)}`);
    return copy;
  };
}

export const CASE_ID = { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' };
