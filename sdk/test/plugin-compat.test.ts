import assert from 'node:assert/strict';
import { definePlugin, type Driver } from '../src/index.js';
import { TestHarness } from '../src/testing/index.js';

describe('plugins written against SDK 1.0', () => {
  it("still get the device config as createDriver's argument, and the same config in ctx.config", async () => {
    const seen: unknown[] = [];
    const plugin = definePlugin<{ port: number }>({
      manifest: {
        name: 'legacy',
        version: '1.0.0',
        sdk: '^1.0.0',
        kinds: ['telemetry'],
        configSchema: { type: 'object', properties: { port: { type: 'integer' } } },
      },
      createDriver: (config?: { port: number }): Driver<{ port: number }> => {
        seen.push(config);
        return {
          start: async (ctx) => {
            seen.push(ctx.config);
          },
          stop: async () => undefined,
        };
      },
    });
    const h = new TestHarness(plugin, { config: { port: 4001 } });
    await h.start();
    await h.stop();
    assert.deepEqual(seen, [{ port: 4001 }, { port: 4001 }]);
  });
});
