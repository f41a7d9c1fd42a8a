import { ConfigError } from './config-error.js';
import type { HubConfig } from './types.js';
import type { YamlSource } from './yaml-source.js';
import type { PluginRegistry } from '../plugins/plugin-registry.js';

/**
 * Checks each device's `config` against its plugin's schema. Devices of unavailable plugins are not
 * errors here: the hub starts without them and shows them faulted.
 */
export function checkDeviceConfigs(config: HubConfig, plugins: PluginRegistry, source: YamlSource | null): void {
  const problems: ConfigError['problems'] = [];
  const file = source?.file ?? config.file ?? '<config>';
  for (const d of config.devices) {
    const plugin = plugins.get(d.plugin);
    if (!plugin) continue;
    if (plugin.validateConfig(d.config)) continue;
    for (const e of plugin.validateConfig.errors ?? []) {
      const inner =
        e.keyword === 'additionalProperties'
          ? `${e.instancePath}/${(e.params as any).additionalProperty}`
          : e.keyword === 'required'
            ? `${e.instancePath}`
            : e.instancePath;
      const pointer = `${d.pointer}/config${inner}`;
      const what =
        e.keyword === 'additionalProperties'
          ? `unknown key for plugin ${d.plugin}`
          : e.keyword === 'enum'
            ? `${e.message} (${(e.params as any).allowedValues.join(', ')})`
            : (e.message ?? e.keyword);
      problems.push({ file, line: source?.lineOf(pointer) ?? null, key: pointer.slice(1).replace(/\//g, '.'), message: `device ${d.id}: ${what}` });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
}
