import { closeSync, openSync, writeSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { containerCheckDigit, definePlugin, type ObservationDraft } from '@customs-hub/sdk';

interface Config {
  ackFile: string;
  loops?: number;
  containerEvery?: number;
}

/** A valid ISO 6346 number for serial n (owner CRSU), so readings join into cases and get scored. */
function container(n: number): string {
  const first10 = `CRSU${String(n % 1_000_000).padStart(6, '0')}`;
  return `${first10}${containerCheckDigit(first10)}`;
}

/**
 * The crash benchmark's device: emits as fast as the hub acknowledges, from several loops, and writes the
 * sourceId of every acknowledged emit to a log, one line each, after the acknowledgement. Every
 * `containerEvery`-th reading is a weighing of a container (a case to correlate and score); the rest telemetry.
 */
export const plugin = definePlugin<Config>({
  manifest: {
    name: 'crash-emitter',
    version: '1.0.0',
    sdk: '^1.0.0',
    kinds: ['weight', 'telemetry'],
    configSchema: {
      type: 'object',
      required: ['ackFile'],
      properties: { ackFile: { type: 'string' }, loops: { type: 'integer', minimum: 1 }, containerEvery: { type: 'integer', minimum: 1 } },
    },
  },
  createDriver: () => {
    const controller = new AbortController();
    const loops: Promise<void>[] = [];
    let fd: number | null = null;
    return {
      async start(ctx) {
        const config = ctx.config;
        fd = openSync(config.ackFile, 'a');
        const boot = randomUUID().slice(0, 8);
        const every = config.containerEvery ?? 50;
        let serial = Math.floor(Math.random() * 900_000);
        for (let l = 0; l < (config.loops ?? 48); l++) {
          loops.push(
            (async () => {
              for (let n = 0; !controller.signal.aborted && !ctx.signal.aborted; n++) {
                const sourceId = `${boot}-${l}-${n}`;
                const draft: ObservationDraft =
                  n % every === 0
                    ? { kind: 'weight', sourceId, conveyance: { containers: [container(serial++)] }, payload: { grossKg: 20_000 + (n % 5000), stable: true } }
                    : { kind: 'telemetry', sourceId, payload: { values: { loop: { value: l }, n: { value: n } } } };
                try {
                  await ctx.emit(draft);
                } catch {
                  await ctx.clock.sleep(20, ctx.signal).catch(() => undefined); // queue full or stopping: try the next one
                  continue;
                }
                writeSync(fd!, `${sourceId}\n`);
              }
            })(),
          );
        }
      },
      async stop() {
        controller.abort();
        await Promise.all(loops);
        if (fd !== null) closeSync(fd);
      },
    };
  },
});
