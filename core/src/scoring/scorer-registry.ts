import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import semver from 'semver';
import { SDK_VERSION, type ScorerPlugin } from '@customs-hub/sdk';
import { WORKSPACE_PLUGINS_DIR, type RefusedPlugin } from '../plugins/plugin-registry.js';

export interface LoadedScorer {
  name: string;
  version: string;
  source: string;
  plugin: ScorerPlugin;
  validateConfig: ValidateFunction | null;
}

/** Loads risk scorers like device plugins: workspace packages marked `"customsHub": { "scorer": true }` plus named packages. */
export class ScorerRegistry {
  readonly scorers = new Map<string, LoadedScorer>();
  readonly refused: RefusedPlugin[] = [];
  private readonly ajv = addFormats(new Ajv({ allErrors: true, strict: false }));

  static discover(options: { workspaceDir?: string | null; packages?: string[]; resolveFrom?: string }): ScorerRegistry {
    const registry = new ScorerRegistry();
    const dir = options.workspaceDir === undefined ? WORKSPACE_PLUGINS_DIR : options.workspaceDir;
    if (dir && existsSync(dir)) {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const pkgFile = join(dir, entry.name, 'package.json');
        if (!entry.isDirectory() || !existsSync(pkgFile)) continue;
        if (JSON.parse(readFileSync(pkgFile, 'utf8')).customsHub?.scorer !== true) continue;
        registry.load(join(dir, entry.name), `workspace plugins/${entry.name}`);
      }
    }
    for (const name of options.packages ?? []) {
      let path: string;
      try {
        path = require.resolve(name, { paths: [options.resolveFrom ?? process.cwd(), __dirname] });
      } catch (err) {
        registry.refused.push({ source: name, reason: `package not found: ${(err as Error).message.split('\n')[0]}` });
        continue;
      }
      registry.load(path, `package ${name}`);
    }
    return registry;
  }

  /** Loads one scorer module, or an already-made ScorerPlugin (tests); on failure records why. */
  load(from: string | ScorerPlugin, source = typeof from === 'string' ? from : `scorer ${from.manifest.name}`): LoadedScorer | null {
    try {
      const plugin = typeof from === 'string' ? requireScorer(from, source) : from;
      const m = plugin.manifest;
      if (!semver.valid(m.version)) throw new Error(`scorer ${m.name} has an invalid version '${m.version}'`);
      if (!semver.validRange(m.sdk)) throw new Error(`scorer ${m.name} declares an invalid SDK range '${m.sdk}'`);
      if (!semver.satisfies(SDK_VERSION, m.sdk)) throw new Error(`scorer ${m.name} requires SDK ${m.sdk} but this hub provides SDK ${SDK_VERSION}`);
      const existing = this.scorers.get(m.name);
      if (existing) throw new Error(`scorer name '${m.name}' is already provided by ${existing.source}`);
      let validateConfig: ValidateFunction | null = null;
      try {
        if (m.configSchema) validateConfig = this.ajv.compile(m.configSchema);
      } catch (err) {
        throw new Error(`scorer ${m.name} has an invalid configSchema: ${(err as Error).message}`);
      }
      const loaded = { name: m.name, version: m.version, source, plugin, validateConfig };
      this.scorers.set(m.name, loaded);
      return loaded;
    } catch (err) {
      this.refused.push({ source, reason: (err as Error).message });
      return null;
    }
  }
}

function requireScorer(path: string, source: string): ScorerPlugin {
  let mod: Record<string, unknown>;
  try {
    mod = require(require.resolve(path));
  } catch (err) {
    throw new Error(`cannot load ${source}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  const plugin = mod.scorer as ScorerPlugin | undefined;
  if (!plugin || plugin.type !== 'customs-hub/scorer') {
    throw new Error(`${source} does not export a scorer as 'scorer' (made with defineScorer from @customs-hub/sdk)`);
  }
  return plugin;
}
