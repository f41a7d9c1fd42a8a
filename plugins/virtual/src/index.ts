import { definePlugin } from '@customs-hub/sdk';
import { configSchema, VIRTUAL_KINDS, type VirtualConfig } from './config.js';
import { VirtualDriver } from './driver.js';

export const plugin = definePlugin<VirtualConfig>({
  manifest: {
    name: 'virtual',
    version: '1.0.0',
    sdk: '^1.0.0',
    description: 'Random but plausible readings of a configurable kind and rate.',
    kinds: [...VIRTUAL_KINDS],
    configSchema,
  },
  createDriver: () => new VirtualDriver(),
});
