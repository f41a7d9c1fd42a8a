import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { ScorerPlugin } from '@customs-hub/sdk';
import { checkSdkCompatibility, discoverPackages, resolveBuiltModule, type DiscoveryOptions, type RefusedPlugin } from '../plugins/package-discovery.js';

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

  static discover(options: DiscoveryOptions): ScorerRegistry {
    const registry = new ScorerRegistry();
    const { found, missing } = discoverPackages('scorer', options);
    registry.refused.push(...missing);
    for (const f of found) registry.load(f.path, f.source);
    return registry;
  }

  /** Loads one scorer module, or an already-made ScorerPlugin (tests); on failure records why. */
  load(from: string | ScorerPlugin, source = typeof from === 'string' ? from : `scorer ${from.manifest.name}`): LoadedScorer | null {
    try {
      const plugin = typeof from === 'string' ? requireScorer(from, source) : from;
      const m = plugin.manifest;
      checkSdkCompatibility('scorer', m);
      const existing = this.scorers.get(m.name);
      if (existing) throw new Error(`scorer name '${m.name}' is already provided by ${existing.source}`);
      let validateConfig: ValidateFunction | null = null;
      try {
        if (m.configSchema) validateConfig = this.ajv.compile(m.configSchema);
      } catch (err) {
        throw new Error(`scorer ${m.name} has an invalid configSchema: ${(err as Error).message}`, { cause: err });
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
  const modulePath = resolveBuiltModule(path, source);
  let mod: Record<string, unknown>;
  try {
    mod = require(modulePath);
  } catch (err) {
    throw new Error(`cannot load ${source}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  const plugin = mod.scorer as ScorerPlugin | undefined;
  if (!plugin || plugin.type !== 'customs-hub/scorer') {
    throw new Error(`${source} does not export a scorer as 'scorer' (made with defineScorer from @customs-hub/sdk)`);
  }
  return plugin;
}
