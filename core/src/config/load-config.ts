import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import Ajv from 'ajv';
import type { Env, SectionContext } from '../util/config-section.js';
import { ConfigError } from './config-error.js';
import { checkpointConfigSchema } from './schema.js';
import { SECTIONS } from './sections/index.js';
import type { DeviceConfig, HubConfig, LaneConfig, SectionKey } from './types.js';
import { YamlSource } from './yaml-source.js';

const ajv = new Ajv({ allErrors: true, strict: false });
const validateShape = ajv.compile(checkpointConfigSchema);

/** Replaces ${NAME} in string values with environment variables, so secrets stay out of the file. */
function interpolate(value: unknown, env: Env, at: string, missing: Array<{ pointer: string; name: string }>): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Z0-9_]+)\}/g, (_m, name: string) => {
      const v = env[name];
      if (v === undefined) {
        missing.push({ pointer: at, name });
        return '';
      }
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, env, `${at}/${i}`, missing));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env, `${at}/${k}`, missing)]));
  }
  return value;
}

/** Parses and validates a checkpoint config text; every problem names the file, line and key. */
export function parseConfig(text: string, file: string, env: Env = process.env): { config: HubConfig; source: YamlSource } {
  const rel = isAbsolute(file) ? relative(process.cwd(), file) : file;
  const shown = rel && !rel.startsWith('..') ? rel : file;
  const source = new YamlSource(shown, text);
  if (source.errors.length > 0) {
    throw new ConfigError(source.errors.map((e) => ({ file: shown, line: e.line, key: '', message: `YAML syntax: ${e.message}` })));
  }
  const missing: Array<{ pointer: string; name: string }> = [];
  const raw = interpolate(source.toJS(), env, '', missing) as Record<string, any>;
  const problems: ConfigError['problems'] = missing.map((m) => ({
    file: shown,
    line: source.lineOf(m.pointer),
    key: m.pointer.slice(1).replace(/\//g, '.'),
    message: `environment variable ${m.name} is not set`,
  }));
  if (!validateShape(raw)) {
    for (const e of validateShape.errors ?? []) {
      const pointer = e.keyword === 'additionalProperties' ? `${e.instancePath}/${(e.params as any).additionalProperty}` : e.instancePath;
      const extra = e.keyword === 'enum' ? ` (${(e.params as any).allowedValues.join(', ')})` : '';
      problems.push({
        file: shown,
        line: source.lineOf(pointer),
        key: pointer.slice(1).replace(/\//g, '.'),
        message: `${e.keyword === 'additionalProperties' ? 'unknown key' : e.message}${extra}`,
      });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const config = withDefaults(raw, file, env, source);
  checkUnique(config, source);
  return { config, source };
}

/** Reads, parses and validates a checkpoint config file, keeping the source for locating later errors. */
export function loadConfigFile(file: string, env: Env = process.env): { config: HubConfig; source: YamlSource } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([{ file, line: null, key: '', message: `cannot read config: ${(err as Error).message}` }]);
  }
  return parseConfig(text, file, env);
}

export function loadConfig(file: string, env: Env = process.env): HubConfig {
  return loadConfigFile(file, env).config;
}

/** The checkpoint, data dir, lanes and devices first (every section may use them), then each section once. */
function withDefaults(raw: Record<string, any>, file: string, env: Env, source: YamlSource): HubConfig {
  const dir = dirname(resolve(file));
  const dataDir = resolve(dir, env.HUB_DATA_DIR ?? raw.dataDir ?? 'data');
  const devices: DeviceConfig[] = [];
  const lanes: LaneConfig[] = (raw.lanes ?? []).map((lane: any, li: number) => {
    lane.devices.forEach((d: any, di: number) => devices.push(device(d, lane.id, `/lanes/${li}/devices/${di}`, source)));
    return { id: lane.id, name: lane.name, type: lane.type, devices: lane.devices.map((d: any) => d.id) };
  });
  (raw.devices ?? []).forEach((d: any, di: number) => devices.push(device(d, null, `/devices/${di}`, source)));
  const ctx: SectionContext = { env, dir, checkpointId: raw.checkpoint.id, dataDir };
  return { file: resolve(file), checkpoint: raw.checkpoint, dataDir, lanes, devices, ...parseSections(raw, ctx, source) };
}

/** Each section once; a section's own check that fails (beyond its schema) names the file, line and section. */
function parseSections(raw: Record<string, unknown>, ctx: SectionContext, source: YamlSource): Pick<HubConfig, SectionKey> {
  const parsed: Partial<Record<SectionKey, unknown>> = {};
  for (const key of Object.keys(SECTIONS) as SectionKey[]) {
    try {
      parsed[key] = SECTIONS[key].parse(raw[key], ctx);
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      throw new ConfigError([{ file: source.file, line: source.lineOf(`/${key}`), key, message: (err as Error).message }]);
    }
  }
  return parsed as Pick<HubConfig, SectionKey>;
}

function device(d: any, lane: string | null, pointer: string, source: YamlSource): DeviceConfig {
  return {
    id: d.id,
    plugin: d.plugin,
    name: d.name,
    lane,
    isolation: d.isolation ?? 'worker',
    group: d.group ?? d.id,
    adminState: d.adminState ?? 'enabled',
    config: d.config ?? {},
    origin: `${source.file}:${source.lineOf(pointer) ?? '?'}`,
    pointer,
  };
}

function checkUnique(config: HubConfig, source: YamlSource): void {
  const seen = new Map<string, string>();
  const problems: ConfigError['problems'] = [];
  for (const d of config.devices) {
    if (seen.has(d.id))
      problems.push({
        file: source.file,
        line: source.lineOf(d.pointer),
        key: `${d.pointer.slice(1).replace(/\//g, '.')}.id`,
        message: `device id '${d.id}' is already used at ${seen.get(d.id)}`,
      });
    seen.set(d.id, d.origin);
  }
  const lanes = new Set<string>();
  config.lanes.forEach((l, i) => {
    if (lanes.has(l.id))
      problems.push({ file: source.file, line: source.lineOf(`/lanes/${i}/id`), key: `lanes.${i}.id`, message: `lane id '${l.id}' is already used` });
    lanes.add(l.id);
  });
  // the lane twin drives lanes and the devices its simulators play: both must exist
  config.twin?.lanes.forEach((id, i) => {
    if (!lanes.has(id))
      problems.push({
        file: source.file,
        line: source.lineOf(`/twin/lanes/${i}`),
        key: `twin.lanes.${i}`,
        message: `no lane '${id}' (lanes: ${[...lanes].join(', ') || 'none'})`,
      });
  });
  config.simulators.forEach((sim, i) => {
    if (sim.device !== undefined && !seen.has(sim.device))
      problems.push({
        file: source.file,
        line: source.lineOf(`/simulators/${i}/device`),
        key: `simulators.${i}.device`,
        message: `no device '${sim.device}' to play`,
      });
  });
  if (problems.length > 0) throw new ConfigError(problems);
}
