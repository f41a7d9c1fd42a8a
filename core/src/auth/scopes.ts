/** Every scope a token can carry. `admin` implies all the others. */
export const SCOPES = [
  'feed:read',
  'declarations:write',
  'cases:write',
  'cases:read',
  'observations:read',
  'devices:read',
  'devices:write',
  'config:read',
  'metrics:read',
  'audit:read',
  'cases:approve',
  'admin',
] as const;

export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** Parses "a,b" from the CLI; unknown scopes are an error naming them. */
export function parseScopes(text: string): Scope[] {
  const list = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const unknown = list.filter((s) => !isScope(s));
  if (unknown.length > 0) throw new Error(`unknown scope(s): ${unknown.join(', ')} (known: ${SCOPES.join(', ')})`);
  if (list.length === 0) throw new Error(`at least one scope is needed (known: ${SCOPES.join(', ')})`);
  return [...new Set(list)] as Scope[];
}

/** The scopes hapi checks routes against: admin expands to every scope. */
export function effectiveScopes(granted: readonly string[]): string[] {
  return granted.includes('admin') ? [...SCOPES] : [...granted];
}
