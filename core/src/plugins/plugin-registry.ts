import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { OBSERVATION_KINDS, type DevicePlugin, type SimulatorDefinition } from '@customs-hub/sdk';
import {
  checkSdkCompatibility,
  discoverPackages,
  resolveBuiltModule,
  type DiscoveredPackage,
  type DiscoveryOptions,
  type RefusedPlugin,
} from './package-discovery.js';

/** A device plugin that passed the load checks. */
export interface LoadedPlugin {
  name: string;
  version: string;
  description: string;
  kinds: DevicePlugin['manifest']['kinds'];
  packageName: string;
  /** The module a worker requires to get the plugin. */
  modulePath: string;
  plugin: DevicePlugin;
  validateConfig: ValidateFunction;
  simulators: SimulatorDefinition[];
  /** Other named exports, for optional extensions the core detects (e.g. `certificates`). */
  exports: Record<string, unknown>;
}

export { WORKSPACE_PLUGINS_DIR, type RefusedPlugin } from './package-discovery.js';

/** Loads and checks device plugins; refuses broken or incompatible ones with a reason, keeps the rest. */
export class PluginRegistry {
  readonly plugins = new Map<string, LoadedPlugin>();
  readonly refused: RefusedPlugin[] = [];
  private readonly ajv = addFormats(new Ajv({ allErrors: true, strict: false }));

  /** Discovers workspace plugins and the packages a config names (resolved from the config's folder). */
  static discover(options: DiscoveryOptions): PluginRegistry {
    const registry = new PluginRegistry();
    const { found, missing } = discoverPackages('plugin', options);
    registry.refused.push(...missing);
    // A package that says its plugin's name is loaded when first asked for: a hub starts only the plugins its
    // config uses (requiring a plugin and compiling its schema is much of a start-up). Others load now.
    for (const f of found) {
      if (f.name && !registry.pending.has(f.name)) registry.pending.set(f.name, f);
      else registry.load(f.path, f.source);
    }
    return registry;
  }

  private readonly pending = new Map<string, DiscoveredPackage>();

  /** Loads every plugin not loaded yet (for listing them all: `customs-hub plugins`, `inspect`, `simulate`). */
  loadAll(): this {
    for (const name of [...this.pending.keys()]) this.loadPending(name);
    return this;
  }

  /** Names of the plugins known, loaded or not. */
  get names(): string[] {
    return [...new Set([...this.plugins.keys(), ...this.pending.keys()])].sort();
  }

  private loadPending(name: string): void {
    const p = this.pending.get(name);
    if (!p) return;
    this.pending.delete(name);
    this.load(p.path, p.source, name);
  }

  /** Loads one plugin from a module path or package folder; on failure records why and returns null. */
  load(path: string, source = path, declaredName?: string): LoadedPlugin | null {
    try {
      const loaded = this.check(path, source);
      if (declaredName && loaded.name !== declaredName)
        throw new Error(`its package.json names the plugin '${declaredName}' (customsHub.name) but its manifest says '${loaded.name}'`);
      const existing = this.plugins.get(loaded.name);
      if (existing) throw new Error(`plugin name '${loaded.name}' is already provided by ${existing.packageName}`);
      this.plugins.set(loaded.name, loaded);
      return loaded;
    } catch (err) {
      this.refused.push({ source, reason: (err as Error).message });
      return null;
    }
  }

  get(name: string): LoadedPlugin | undefined {
    this.loadPending(name);
    return this.plugins.get(name);
  }

  /** Why a plugin name is not available, for device errors. */
  whyMissing(name: string): string {
    this.loadPending(name);
    const refusal = this.refused.find((r) => r.source.endsWith(`/${name}`) || r.source.endsWith(` ${name}`) || r.reason.includes(`plugin ${name} `));
    return refusal
      ? `plugin '${name}' was refused: ${refusal.reason}`
      : `no plugin named '${name}' is installed (available: ${this.names.join(', ') || 'none'})`;
  }

  private check(path: string, source: string): LoadedPlugin {
    const modulePath = resolveBuiltModule(path, source);
    let mod: Record<string, unknown>;
    try {
      mod = require(modulePath);
    } catch (err) {
      throw new Error(`cannot load ${source}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
    }
    const plugin = mod.plugin as DevicePlugin | undefined;
    if (!plugin || plugin.type !== 'customs-hub/device-plugin') {
      throw new Error(`${source} does not export a device plugin as 'plugin' (made with definePlugin from @customs-hub/sdk)`);
    }
    const m = plugin.manifest;
    checkSdkCompatibility('plugin', m);
    const unknown = m.kinds.filter((k) => !OBSERVATION_KINDS.includes(k));
    if (unknown.length > 0) throw new Error(`plugin ${m.name} declares unknown observation kinds: ${unknown.join(', ')}`);
    let validateConfig: ValidateFunction;
    try {
      validateConfig = this.ajv.compile(m.configSchema);
    } catch (err) {
      throw new Error(`plugin ${m.name} has an invalid configSchema: ${(err as Error).message}`, { cause: err });
    }
    const simulators = Array.isArray(mod.simulators) ? (mod.simulators as SimulatorDefinition[]).filter((s) => s?.type === 'customs-hub/simulator') : [];
    return {
      name: m.name,
      version: m.version,
      description: m.description ?? '',
      kinds: m.kinds,
      packageName: packageNameOf(modulePath) ?? source,
      modulePath,
      plugin,
      validateConfig,
      simulators,
      exports: mod,
    };
  }
}

function packageNameOf(modulePath: string): string | null {
  for (let dir = dirname(modulePath); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')).name ?? null;
  }
  return null;
}
