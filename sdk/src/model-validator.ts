import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { loadSchemas } from './schemas.js';

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
      const extra =
        e.keyword === 'additionalProperties'
          ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'`
          : e.keyword === 'enum'
            ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})`
            : '';
      return `${path}: ${e.message ?? e.keyword}${extra}`;
    })
    .join('; ');
}
