import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

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
