import Boom from '@hapi/boom';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describeErrors } from '@customs-hub/sdk/runtime';

// Parameters arrive as text and are coerced; bodies are JSON and must already have the right types.
const paramAjv = addFormats(new Ajv({ allErrors: false, coerceTypes: true, useDefaults: true, strict: false }));
const bodyAjv = addFormats(new Ajv({ allErrors: false, useDefaults: true, strict: false }));

/**
 * A hapi validate function from a JSON Schema; a 400 names the parameter or field. It carries its schema,
 * so the OpenAPI document describes exactly what is validated.
 */
export function validator(
  where: string,
  schema: Record<string, unknown>,
  body = !where.includes('parameter'),
): ((value: unknown) => Promise<unknown>) & { schema: Record<string, unknown> } {
  const full = { type: 'object', additionalProperties: false, ...schema };
  const fn = (body ? bodyAjv : paramAjv).compile(full);
  const validate = async (value: unknown) => {
    const copy = { ...(value as object) };
    if (!fn(copy)) throw Boom.badRequest(`invalid ${where}: ${describeErrors(fn.errors)}`);
    return copy;
  };
  return Object.assign(validate, { schema: full });
}

/** OpenAPI response documentation, referring to the data-model schemas by their component names. */
export const ref = (name: 'inspection_case_v1' | 'declaration_v2' | 'observation_v1') => ({ $ref: `#/components/schemas/${name}` });
export const doc = (response: Record<string, unknown>, description: string) => ({ description, plugins: { openapi: { response } } });

export const CASE_ID = { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' };
