import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA_DIR } from '@customs-hub/sdk';
import type { ProfileKind } from './profile.js';

/** The payload keys a kind accepts, their JSON type, and which are required: read from the SDK's schema. */
export interface PayloadFields {
  types: Map<string, string>;
  required: string[];
}

const cache = new Map<ProfileKind, PayloadFields>();

export function payloadFields(kind: ProfileKind): PayloadFields {
  let fields = cache.get(kind);
  if (!fields) {
    const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, 'payloads', `${kind}.v1.json`), 'utf8')) as {
      properties?: Record<string, { type?: unknown }>;
      required?: string[];
    };
    const types = new Map<string, string>();
    for (const [key, prop] of Object.entries(schema.properties ?? {})) types.set(key, typeof prop.type === 'string' ? prop.type : 'object');
    fields = { types, required: schema.required ?? [] };
    cache.set(kind, fields);
  }
  return fields;
}
