import type { SimulatorDefinition, SimulatorOption } from '@customs-hub/sdk';

type Value = string | number | boolean;

/** The camelCased key commander gives a flag ("--http-port <n>" → httpPort). */
export function optionKey(flags: string): string {
  const long = /--([a-z0-9-]+)/i.exec(flags)?.[1]?.replace(/^no-/, '');
  if (!long) throw new TypeError(`simulator option '${flags}' has no --long flag`);
  return long.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function typeOf(o: SimulatorOption): NonNullable<SimulatorOption['type']> {
  if (o.type) return o.type;
  if (typeof o.default === 'number') return Number.isInteger(o.default) ? 'integer' : 'number';
  if (typeof o.default === 'boolean' || !/[<[]/.test(o.flags)) return 'boolean';
  return 'string';
}

function convert(sim: string, key: string, type: ReturnType<typeof typeOf>, raw: unknown): Value {
  const bad = (what: string) => new RangeError(`simulator ${sim}: option ${key} must be ${what}, got '${String(raw)}'`);
  if (type === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === 'yes') return true;
    if (raw === 'false' || raw === 'no') return false;
    throw bad('true or false');
  }
  if (type === 'number' || type === 'integer') {
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
    if (!Number.isFinite(n)) throw bad('a number');
    if (type === 'integer' && !Number.isInteger(n)) throw bad('an integer');
    return n;
  }
  if (typeof raw === 'string' || typeof raw === 'number') return String(raw);
  throw bad('a string');
}

/**
 * One parse for a simulator's options, whether they come as strings from the command line or typed from a
 * config's YAML: converted to each option's type, defaults filled in, unknown keys refused by name.
 */
export function parseSimulatorOptions(def: SimulatorDefinition, raw: Record<string, unknown>): Record<string, Value> {
  const known = new Map(def.options.map((o) => [optionKey(o.flags), o]));
  const out: Record<string, Value> = {};
  for (const [key, value] of Object.entries(raw)) {
    const option = known.get(key);
    if (!option) throw new RangeError(`simulator ${def.name}: unknown option '${key}' (known: ${[...known.keys()].join(', ')})`);
    if (value === undefined) continue;
    out[key] = convert(def.name, key, typeOf(option), value);
  }
  for (const [key, option] of known) {
    // A "--no-x" flag means x defaults to true, as commander has it.
    const fallback = option.default ?? (/--no-/.test(option.flags) ? true : undefined);
    if (out[key] === undefined && fallback !== undefined) out[key] = convert(def.name, key, typeOf(option), fallback);
  }
  return out;
}
