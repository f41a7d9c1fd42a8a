import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** Where the data model's JSON Schemas live, inside the sdk package. */
export const SCHEMA_DIR = join(__dirname, '..', '..', 'schemas');

export const SCHEMA_IDS = {
  observation: 'https://customs-hub.dev/schemas/observation.v1.json',
  deviceStatus: 'https://customs-hub.dev/schemas/device-status.v1.json',
  declaration: 'https://customs-hub.dev/schemas/declaration.v2.json',
  declarationV1: 'https://customs-hub.dev/schemas/declaration.v1.json',
  inspectionCase: 'https://customs-hub.dev/schemas/inspection-case.v1.json',
} as const;

function listSchemaFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listSchemaFiles(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : [],
  );
}

/** Every data-model schema, parsed. */
export function loadSchemas(): Array<Record<string, unknown>> {
  return listSchemaFiles(SCHEMA_DIR).map((f) => JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>);
}

/** An ajv instance with every data-model schema added; compile from it once, at start-up. */
export function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: false, strict: true, strictRequired: false, allowUnionTypes: true });
  addFormats(ajv);
  for (const schema of loadSchemas()) ajv.addSchema(schema);
  return ajv;
}

/** Compiles the validator for one of SCHEMA_IDS. */
export function compileModel<T>(ajv: Ajv, id: string): ValidateFunction<T> {
  const fn = ajv.getSchema<T>(id);
  if (!fn) throw new Error(`schema ${id} is not part of the data model`);
  return fn;
}

/** Formats ajv errors as "path: message" lines naming the field. */
export function describeErrors(errors: ValidateFunction['errors']): string {
  if (!errors || errors.length === 0) return 'invalid';
  return errors
    .map((e) => {
      const path = e.instancePath || '/';
      const extra = e.keyword === 'additionalProperties' ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'`
        : e.keyword === 'enum' ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : '';
      return `${path}: ${e.message ?? e.keyword}${extra}`;
    })
    .join('; ');
}
