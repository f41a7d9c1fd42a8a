import type { ConfigSection } from '../../util/config-section.js';

/** An installed plugin package to load besides the workspace's. */
export interface PluginPackageConfig {
  package: string;
}

/** `plugins:` — installed plugin packages, by name. */
export const pluginsSection: ConfigSection<PluginPackageConfig[]> = {
  schema: {
    type: 'array',
    items: { type: 'object', additionalProperties: false, required: ['package'], properties: { package: { type: 'string', minLength: 1 } } },
  },
  parse: (raw) => (raw ?? []).map((p: PluginPackageConfig) => ({ package: p.package })),
};
