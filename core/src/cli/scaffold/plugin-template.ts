/**
 * The files of a new device plugin: a working TCP driver for a device that sends one JSON event a line, its
 * simulator, config schema, README and a mocha suite on the conformance kit. Placeholders are the plugin's names.
 */
export interface PluginNames {
  /** kebab-case plugin name, e.g. "seal-reader". */
  name: string;
  /** PascalCase, e.g. "SealReader". */
  pascal: string;
  /** Relative path from the plugin folder to the SDK's tsconfig, or null outside the hub's workspace. */
  sdkReference: string | null;
}

export function pluginNames(name: string, sdkReference: string | null): PluginNames {
  const pascal = name
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
  return { name, pascal, sdkReference };
}

export function pluginFiles(n: PluginNames): Record<string, string> {
  return {
    'package.json': `${JSON.stringify(
      {
        name: `@customs-hub/plugin-${n.name}`,
        version: '0.1.0',
        description: `Device plugin: ${n.name}.`,
        license: 'Apache-2.0',
        main: 'dist/src/index.js',
        types: 'dist/src/index.d.ts',
        customsHub: { plugin: true, name: n.name },
        peerDependencies: { '@customs-hub/sdk': '^1.0.0' },
      },
      null,
      2,
    )}\n`,
    'tsconfig.json': `${JSON.stringify(
      {
        extends: '../../tsconfig.base.json',
        compilerOptions: { rootDir: '.', outDir: 'dist' },
        include: ['src/**/*.ts', 'test/**/*.ts'],
        ...(n.sdkReference ? { references: [{ path: n.sdkReference }] } : {}),
      },
      null,
      2,
    )}\n`,
    'src/config.ts': `import type { JsonSchema } from '@customs-hub/sdk';

export interface ${n.pascal}Config {
  host: string;
  port: number;
  /** Seconds to wait before reconnecting after the device closes the link. */
  reconnectS?: number;
}

export const configSchema: JsonSchema = {
  type: 'object', additionalProperties: false, required: ['host', 'port'],
  properties: {
    host: { type: 'string', minLength: 1 },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    reconnectS: { type: 'number', minimum: 0.1, maximum: 300 },
  },
};
`,
    'src/frame.ts': `import type { ObservationDraft } from '@customs-hub/sdk';

const EVENTS = ['fault', 'fault-cleared', 'tamper', 'tamper-cleared', 'other'] as const;

/** One line the device sends: {"id":"E1","time":"2026-03-01T08:00:00Z","event":"tamper","message":"…","container":"…"}. */
export function parseFrame(line: string): ObservationDraft<'device.event'> {
  let f: Record<string, unknown>;
  try {
    f = JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new Error(\`not JSON: \${line.slice(0, 80)}\`);
  }
  if (typeof f.id !== 'string' || f.id === '') throw new Error('frame without an id');
  const event = EVENTS.find((e) => e === f.event);
  if (!event) throw new Error(\`frame \${f.id}: unknown event '\${String(f.event)}'\`);
  const message = typeof f.message === 'string' ? f.message : undefined;
  return {
    kind: 'device.event',
    sourceId: f.id,
    deviceTime: typeof f.time === 'string' ? f.time : undefined,
    payload: { event, ...(message ? { message } : {}) },
    conveyance: typeof f.container === 'string' ? { containers: [f.container] } : undefined,
    // A tamper event is an alarm: the hub's alarm scorer turns it into a reason on the vehicle's case.
    alarms: event === 'tamper' ? [{ category: 'tamper', source: 'device', level: 'alarm', ...(message ? { message } : {}) }] : [],
  };
}
`,
    'src/driver.ts': `import { connect, type Socket } from 'node:net';
import type { Driver, DriverContext } from '@customs-hub/sdk';
import type { ${n.pascal}Config } from './config.js';
import { parseFrame } from './frame.js';

/** Connects to the device, turns each line into an observation, and reconnects when the link drops. */
export class ${n.pascal}Driver implements Driver<${n.pascal}Config> {
  private socket: Socket | null = null;
  private loop: Promise<void> | null = null;
  private readonly controller = new AbortController();

  async start(ctx: DriverContext<${n.pascal}Config>): Promise<void> {
    this.loop = this.run(ctx, AbortSignal.any([ctx.signal, this.controller.signal]));
  }

  async stop(): Promise<void> {
    this.controller.abort();
    this.socket?.destroy();
    await this.loop;
  }

  private async run(ctx: DriverContext<${n.pascal}Config>, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.session(ctx, signal);
      } catch (err) {
        if (!signal.aborted) ctx.status.failure(err as Error);
      }
      if (signal.aborted) break;
      await ctx.clock.sleep((ctx.config.reconnectS ?? 2) * 1000, signal).catch(() => undefined);
    }
  }

  /** One connection: resolves when the device closes it. Lines are emitted in order, one at a time. */
  private session(ctx: DriverContext<${n.pascal}Config>, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = connect(ctx.config.port, ctx.config.host);
      this.socket = socket;
      let buffer = '';
      let chain = Promise.resolve();
      socket.setEncoding('utf8');
      socket.once('connect', () => ctx.status.ok(\`connected to \${ctx.config.host}:\${ctx.config.port}\`));
      socket.on('data', (chunk: string) => {
        buffer += chunk;
        const lines = buffer.split('\\n');
        buffer = lines.pop() ?? '';
        for (const line of lines.filter((l) => l.trim() !== '')) {
          chain = chain.then(() => this.emitLine(ctx, line, signal));
        }
      });
      socket.once('error', reject);
      socket.once('close', () => { void chain.then(() => resolve()); });
    });
  }

  private async emitLine(ctx: DriverContext<${n.pascal}Config>, line: string, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    try {
      await ctx.emit(parseFrame(line));
    } catch (err) {
      // A bad frame is counted and the stream goes on; the next good one brings the device back online.
      ctx.status.failure(err as Error);
    }
  }
}
`,
    'src/simulator.ts': `import { createServer, type Server, type Socket } from 'node:net';
import { defineSimulator, type Logger, type RunningSimulator } from '@customs-hub/sdk';

export interface ${n.pascal}SimulatorOptions { host: string; port: number; intervalMs: number; tamperEvery: number }

/** A device that sends a JSON event line every intervalMs to whoever connects; every Nth event is a tamper. */
export async function start${n.pascal}Simulator(o: ${n.pascal}SimulatorOptions, logger: Logger): Promise<RunningSimulator> {
  const sockets = new Set<Socket>();
  let n = 0;
  const server: Server = createServer((s) => { sockets.add(s); s.on('error', () => undefined); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(o.port, o.host, resolve); });
  const timer = setInterval(() => {
    n++;
    const tamper = o.tamperEvery > 0 && n % o.tamperEvery === 0;
    const line = JSON.stringify({ id: \`E\${n}\`, time: new Date().toISOString(), event: tamper ? 'tamper' : 'other', message: tamper ? 'seal broken' : 'heartbeat' });
    for (const s of sockets) s.write(\`\${line}\\n\`);
  }, o.intervalMs);
  logger.info({ port: o.port }, '${n.name} simulator listening');
  return {
    describe: () => \`${n.name} on \${o.host}:\${o.port}, an event every \${o.intervalMs} ms\`,
    stop: async () => {
      clearInterval(timer);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const ${n.name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())}Simulator = defineSimulator({
  name: '${n.name}',
  description: 'a ${n.name} device sending JSON event lines over TCP',
  options: [
    { flags: '--host <host>', description: 'address to listen on', default: '127.0.0.1' },
    { flags: '--port <n>', description: 'TCP port', default: 17000 },
    { flags: '--interval-ms <ms>', description: 'milliseconds between events', default: 1000 },
    { flags: '--tamper-every <n>', description: 'every Nth event is a tamper (0: never)', default: 5 },
  ],
  start: (options, logger) => start${n.pascal}Simulator(options as unknown as ${n.pascal}SimulatorOptions, logger),
});
`,
    'src/index.ts': `import { definePlugin } from '@customs-hub/sdk';
import { configSchema, type ${n.pascal}Config } from './config.js';
import { ${n.pascal}Driver } from './driver.js';
import { ${n.name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())}Simulator } from './simulator.js';

export const plugin = definePlugin<${n.pascal}Config>({
  manifest: {
    name: '${n.name}',
    version: '0.1.0',
    sdk: '^1.0.0',
    description: '${n.name}: JSON event lines over TCP.',
    kinds: ['device.event'],
    configSchema,
  },
  createDriver: () => new ${n.pascal}Driver(),
});

/** \`customs-hub simulate ${n.name}\` runs it. */
export const simulators = [${n.name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())}Simulator];
export { start${n.pascal}Simulator } from './simulator.js';
`,
    [`test/${n.name}.test.ts`]: `import assert from 'node:assert/strict';
import { describeConformance, freePort, TestHarness } from '@customs-hub/sdk/testing';
import type { Logger, RunningSimulator } from '@customs-hub/sdk';
import type { ${n.pascal}Config } from '../src/config.js';
import { plugin, start${n.pascal}Simulator } from '../src/index.js';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };

describe('${n.name} plugin', () => {
  let sim: RunningSimulator | null = null;
  const config: ${n.pascal}Config = { host: '127.0.0.1', port: 0, reconnectS: 0.2 };

  describeConformance(plugin, {
    config,
    before: async () => {
      config.port = await freePort();
      sim = await start${n.pascal}Simulator({ host: '127.0.0.1', port: config.port, intervalMs: 50, tamperEvery: 3 }, quiet);
    },
    after: async () => { await sim?.stop(); sim = null; },
    disrupt: async () => { await sim?.stop(); sim = null; },
  });

  it('raises a tamper alarm on every third event', async () => {
    const port = await freePort();
    sim = await start${n.pascal}Simulator({ host: '127.0.0.1', port, intervalMs: 20, tamperEvery: 3 }, quiet);
    const h = new TestHarness(plugin, { config: { host: '127.0.0.1', port } });
    await h.start();
    await h.waitFor(() => h.observations.length >= 3);
    await h.stop();
    await sim.stop();
    sim = null;
    const tampers = h.observations.filter((o) => o.alarms.some((a) => a.category === 'tamper'));
    assert.ok(tampers.length >= 1);
    assert.deepEqual(tampers[0]!.payload, { event: 'tamper', message: 'seal broken' });
  });
});
`,
    'README.md': `# ${n.name}

A device plugin for customs-hub, made by \`customs-hub plugin new ${n.name}\`.

The device listens on TCP and sends one JSON event a line:

\`\`\`json
{"id":"E1","time":"2026-03-01T08:00:00Z","event":"tamper","message":"seal broken","container":"CSQU3054383"}
\`\`\`

Each line becomes a \`device.event\` observation (\`sourceId\` = \`id\`, so a resent line is accepted once); a
\`tamper\` event carries an alarm, which the hub's \`alarm\` scorer turns into a reason on the vehicle's case.
A line that is not JSON or names an unknown event is counted as a failure in the device status, and the stream
goes on.

| config | meaning |
|---|---|
| \`host\`, \`port\` | the device's address |
| \`reconnectS\` | seconds before reconnecting after the link drops (2) |

- Simulator: \`customs-hub simulate ${n.name} --port 17000\`
- Tests: \`npx tsc -b plugins/${n.name} && npx mocha --no-config 'plugins/${n.name}/dist/test/**/*.test.js'\`
`,
  };
}
