import { FRAMINGS, REGISTER_TYPES, wordCount, type Framing, type RegisterType, type WordOrder } from '@customs-hub/modbus-link';
import type { AlarmCategory } from '@customs-hub/sdk';
import { payloadFields } from './payload-fields.js';
import { PROFILE_KINDS, TABLE_FUNCTION, isFlag, type AlarmRule, type Profile, type ProfileKind, type RegisterDef, type Table } from './profile.js';
import { ProfileError } from './profile-error.js';

type Path = Array<string | number>;
type Obj = Record<string, unknown>;

const ALARM_CATEGORIES: readonly AlarmCategory[] = ['gamma', 'neutron', 'isotope', 'norm', 'xray', 'weight', 'identity', 'tamper', 'fault', 'other'];
const TABLES = Object.keys(TABLE_FUNCTION) as Table[];
const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Checks a parsed profile document and returns it typed; throws ProfileError naming file, key and line. */
export function validateProfile(doc: unknown, file: string, lineOf: (path: Path) => number | undefined): Profile {
  const fail = (path: Path, reason: string): never => {
    throw new ProfileError(file, keyName(path), reason, lineOf(path));
  };
  const check = new Checker(fail);
  const root = check.object(doc, []);
  check.only(root, [], ['name', 'description', 'manufacturer', 'model', 'kind', 'pollIntervalMs', 'defaults', 'registers', 'alarms', 'weighing']);
  const kind = check.oneOf(root.kind, ['kind'], PROFILE_KINDS) as ProfileKind;
  const defaults = root.defaults === undefined ? {} : check.object(root.defaults, ['defaults']);
  check.only(defaults, ['defaults'], ['unitId', 'framing', 'table', 'wordOrder']);
  const list = root.registers;
  if (!Array.isArray(list) || list.length === 0) fail(['registers'], 'must be a non-empty list');
  const registers = (list as unknown[]).map((r, i) => readRegister(check, r, ['registers', i], defaults, kind));
  checkFields(registers, kind, fail);
  const alarmList = root.alarms ?? [];
  if (!Array.isArray(alarmList)) fail(['alarms'], 'must be a list');
  const alarms = (alarmList as unknown[]).map((a, i) => readAlarm(check, a, ['alarms', i], registers));
  const profile: Profile = {
    file,
    name: check.string(root.name, ['name'], PROFILE_NAME),
    kind,
    pollIntervalMs: check.number(root.pollIntervalMs ?? 1000, ['pollIntervalMs'], 50, 3_600_000),
    unitId: check.integer(defaults.unitId ?? 1, ['defaults', 'unitId'], 0, 255),
    framing: check.oneOf(defaults.framing ?? 'tcp', ['defaults', 'framing'], FRAMINGS) as Framing,
    registers,
    alarms,
  };
  if (root.weighing !== undefined) {
    if (kind !== 'weight') fail(['weighing'], `only a weight profile reports weighings (this one is ${kind})`);
    const w = check.object(root.weighing, ['weighing']);
    check.only(w, ['weighing'], ['emptyBelowKg', 'stablePolls', 'settleKg']);
    profile.weighing = {
      emptyBelowKg: check.number(w.emptyBelowKg ?? 500, ['weighing', 'emptyBelowKg'], 0, 1_000_000),
      stablePolls: check.integer(w.stablePolls ?? 2, ['weighing', 'stablePolls'], 1, 100),
      settleKg: check.number(w.settleKg ?? 20, ['weighing', 'settleKg'], 0, 10_000),
    };
  }
  for (const key of ['description', 'manufacturer', 'model'] as const) {
    if (root[key] !== undefined) profile[key] = check.string(root[key], [key]);
  }
  return profile;
}

function readRegister(check: Checker, value: unknown, path: Path, defaults: Obj, kind: ProfileKind): RegisterDef {
  const r = check.object(value, path);
  check.only(r, path, ['name', 'table', 'address', 'type', 'wordOrder', 'scale', 'offset', 'bit', 'unit', 'field', 'simulate']);
  const table = check.oneOf(r.table ?? defaults.table, [...path, 'table'], TABLES) as Table;
  const flagTable = table === 'coil' || table === 'discrete';
  const type = check.oneOf(r.type ?? (flagTable ? 'bool' : undefined), [...path, 'type'], flagTable ? ['bool'] : REGISTER_TYPES) as RegisterType | 'bool';
  const def: RegisterDef = {
    name: check.string(r.name, [...path, 'name'], NAME),
    table,
    address: check.integer(r.address, [...path, 'address'], 0, 0xffff),
    type,
    wordOrder: check.oneOf(r.wordOrder ?? defaults.wordOrder ?? 'big', [...path, 'wordOrder'], ['big', 'little']) as WordOrder,
    scale: check.number(r.scale ?? 1, [...path, 'scale']),
    offset: check.number(r.offset ?? 0, [...path, 'offset']),
    field: readField(check, r.field, [...path, 'field'], kind, r.name as string),
  };
  if (def.scale === 0) check.fail([...path, 'scale'], 'must not be 0');
  if (type !== 'bool' && def.address + wordCount(type) > 0x10000) check.fail([...path, 'address'], `a ${type} at ${def.address} runs past register 65535`);
  if (r.bit !== undefined) {
    if (type !== 'u16') check.fail([...path, 'bit'], 'a bit can only be taken from a u16 register');
    def.bit = check.integer(r.bit, [...path, 'bit'], 0, 15);
  }
  if (r.unit !== undefined) def.unit = check.string(r.unit, [...path, 'unit']);
  if (r.simulate !== undefined) {
    const s = check.object(r.simulate, [...path, 'simulate']);
    check.only(s, [...path, 'simulate'], ['min', 'max']);
    def.simulate = { min: check.number(s.min, [...path, 'simulate', 'min']), max: check.number(s.max, [...path, 'simulate', 'max']) };
  }
  return def;
}

function readField(check: Checker, value: unknown, path: Path, kind: ProfileKind, name: string): RegisterDef['field'] {
  if (value === undefined) return kind === 'telemetry' ? { target: 'values', key: name } : { target: 'extensions', key: name };
  const text = check.string(value, path);
  const m = /^(payload|extensions)\.([A-Za-z][A-Za-z0-9_]*)$/.exec(text);
  if (!m) return check.fail(path, `'${text}' must be payload.<key> or extensions.<key>`);
  if (m[1] === 'payload' && kind === 'telemetry') return check.fail(path, 'a telemetry profile fills payload.values by register name; leave field out');
  return { target: m[1] as 'payload' | 'extensions', key: m[2]! };
}

// Payload keys must exist in the kind's schema with a matching type, and every required key must be filled.
function checkFields(registers: RegisterDef[], kind: ProfileKind, fail: (path: Path, reason: string) => never): void {
  if (kind === 'telemetry') return;
  const { types, required } = payloadFields(kind);
  const seen = new Set<string>();
  registers.forEach((r, i) => {
    if (r.field.target !== 'payload') return;
    const path = ['registers', i, 'field'];
    const type = types.get(r.field.key);
    if (!type) fail(path, `${kind} payload has no field '${r.field.key}' (it has: ${[...types.keys()].join(', ')})`);
    if (type !== (isFlag(r) ? 'boolean' : 'number'))
      fail(path, `payload.${r.field.key} is a ${type}, but register '${r.name}' gives a ${isFlag(r) ? 'boolean' : 'number'}`);
    if (seen.has(r.field.key)) fail(path, `payload.${r.field.key} is already filled by another register`);
    seen.add(r.field.key);
  });
  const missing = required.filter((k) => !seen.has(k));
  if (missing.length > 0) fail(['registers'], `no register fills the required ${kind} field(s): ${missing.map((k) => `payload.${k}`).join(', ')}`);
}

function readAlarm(check: Checker, value: unknown, path: Path, registers: RegisterDef[]): AlarmRule {
  const a = check.object(value, path);
  check.only(a, path, ['register', 'above', 'below', 'equals', 'category', 'level', 'message']);
  const name = check.string(a.register, [...path, 'register']);
  if (!registers.some((r) => r.name === name)) check.fail([...path, 'register'], `no register named '${name}'`);
  const rule: AlarmRule = {
    register: name,
    category: check.oneOf(a.category, [...path, 'category'], ALARM_CATEGORIES) as AlarmCategory,
    level: check.oneOf(a.level ?? 'alarm', [...path, 'level'], ['info', 'warning', 'alarm']) as AlarmRule['level'],
  };
  if (a.above !== undefined) rule.above = check.number(a.above, [...path, 'above']);
  if (a.below !== undefined) rule.below = check.number(a.below, [...path, 'below']);
  if (a.equals !== undefined) {
    if (typeof a.equals !== 'boolean' && typeof a.equals !== 'number') check.fail([...path, 'equals'], 'must be a number or a boolean');
    rule.equals = a.equals as number | boolean;
  }
  if (rule.above === undefined && rule.below === undefined && rule.equals === undefined) check.fail(path, 'needs above, below or equals');
  if (a.message !== undefined) rule.message = check.string(a.message, [...path, 'message']);
  return rule;
}

class Checker {
  constructor(readonly fail: (path: Path, reason: string) => never) {}

  object(v: unknown, path: Path): Obj {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return this.fail(path, 'must be a mapping');
    return v as Obj;
  }

  only(o: Obj, path: Path, keys: string[]): void {
    for (const k of Object.keys(o)) if (!keys.includes(k)) this.fail([...path, k], `unknown key (allowed: ${keys.join(', ')})`);
  }

  string(v: unknown, path: Path, pattern?: RegExp): string {
    if (typeof v !== 'string' || v.length === 0) return this.fail(path, 'must be a non-empty string');
    if (pattern && !pattern.test(v)) return this.fail(path, `'${v}' must match ${pattern}`);
    return v;
  }

  number(v: unknown, path: Path, min = -Infinity, max = Infinity): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) return this.fail(path, 'must be a number');
    if (v < min || v > max) return this.fail(path, `must be between ${min} and ${max}, got ${v}`);
    return v;
  }

  integer(v: unknown, path: Path, min: number, max: number): number {
    const n = this.number(v, path, min, max);
    if (!Number.isInteger(n)) return this.fail(path, `must be an integer, got ${n}`);
    return n;
  }

  oneOf(v: unknown, path: Path, allowed: readonly string[]): string {
    if (v === undefined) return this.fail(path, `is required (one of ${allowed.join(', ')})`);
    if (typeof v !== 'string' || !allowed.includes(v)) return this.fail(path, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
    return v;
  }
}

function keyName(path: Path): string | null {
  if (path.length === 0) return null;
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
