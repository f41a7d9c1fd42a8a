import { open, mkdtemp, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Command } from 'commander';
import { completeObservation, directoryRawStore, RejectedInputError } from '@customs-hub/sdk';
import { PluginRegistry } from '../../plugins/plugin-registry.js';
import { newId } from '../../pipeline/ids.js';
import { createLogger } from '../../util/logger.js';

async function head(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

export function registerInspect(program: Command): void {
  program.command('inspect <file>')
    .description('print, as JSON lines, the observations a device file would produce, storing nothing')
    .option('--plugin <name>', 'the plugin that reads the file (default: the first that accepts it)')
    .action(async (file: string, opts: { plugin?: string }) => {
      const registry = PluginRegistry.discover({});
      const name = basename(file);
      let bytes: Buffer;
      try {
        bytes = await head(file);
      } catch (err) {
        process.stderr.write(`customs-hub: cannot read ${file}: ${(err as Error).message}\n`);
        process.exit(2);
      }
      const readers = [...registry.plugins.values()].filter((p) => p.plugin.files && (!opts.plugin || p.name === opts.plugin));
      const plugin = opts.plugin ? readers[0] : readers.find((p) => p.plugin.files!.accepts({ name, head: bytes }));
      if (!plugin) {
        process.stderr.write(`customs-hub: rejected ${file}: ${opts.plugin ? `plugin '${opts.plugin}' is not installed or reads no files` : 'no installed plugin recognizes this file'}\n`);
        process.exit(2);
      }
      const scratch = await mkdtemp(join(tmpdir(), 'hub-inspect-'));
      try {
        const drafts = await plugin.plugin.files!.read({ path: file, name }, { storeRaw: directoryRawStore(scratch), logger: createLogger('warn', process.stderr) });
        drafts.forEach((draft, i) => {
          const obs = completeObservation(draft, {
            id: newId(), seq: i + 1, checkpoint: 'INSPECT', lane: null, deviceId: 'inspect', plugin: { name: plugin.name, version: plugin.version }, receivedAt: new Date(),
          });
          process.stdout.write(`${JSON.stringify(obs)}\n`);
        });
        process.stderr.write(`${file}: ${drafts.length} observation(s) by plugin ${plugin.name}\n`);
      } catch (err) {
        const reason = err instanceof RejectedInputError ? err.reason : (err as Error).message;
        process.stderr.write(`customs-hub: rejected ${file}: ${reason}\n`);
        process.exitCode = 2;
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    });
}
