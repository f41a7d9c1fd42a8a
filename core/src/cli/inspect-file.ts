import { open, mkdtemp, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { tmpdir } from 'node:os';
import { RejectedInputError, type Logger, type Observation } from '@customs-hub/sdk';
import { directoryRawStore, sequenced } from '@customs-hub/sdk/runtime';
import { DraftCheck } from '../pipeline/draft-check.js';
import { newId } from '../pipeline/ids.js';
import type { PluginRegistry } from '../plugins/plugin-registry.js';

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

/**
 * The observations a device file would produce, checked exactly as the hub's pipeline checks them (kind, shape,
 * data model), storing nothing: a file inspect passes is one the hub takes whole. Throws RejectedInputError.
 */
export async function inspectFile(
  file: string,
  registry: PluginRegistry,
  logger: Logger,
  pluginName?: string,
): Promise<{ plugin: string; observations: Observation[] }> {
  const name = basename(file);
  let bytes: Buffer;
  try {
    bytes = await head(file);
  } catch (err) {
    throw new RejectedInputError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const readers = [...registry.loadAll().plugins.values()].filter((p) => p.plugin.files && (!pluginName || p.name === pluginName));
  const plugin = pluginName ? readers[0] : readers.find((p) => p.plugin.files!.accepts({ name, head: bytes }));
  if (!plugin)
    throw new RejectedInputError(pluginName ? `plugin '${pluginName}' is not installed or reads no files` : 'no installed plugin recognizes this file');
  const scratch = await mkdtemp(join(tmpdir(), 'hub-inspect-'));
  try {
    const drafts = await plugin.plugin.files!.read({ path: file, name }, { storeRaw: directoryRawStore(scratch), logger });
    const check = new DraftCheck();
    const observations = drafts.map((draft, i) => {
      const verdict = check.check(draft, {
        id: newId(),
        checkpoint: 'INSPECT',
        lane: null,
        deviceId: 'inspect',
        plugin: { name: plugin.name, version: plugin.version },
        kinds: plugin.kinds,
        receivedAt: new Date(),
      });
      if (!verdict.ok) throw new RejectedInputError(`observation ${i + 1} of ${drafts.length} would be refused by the hub: ${verdict.reason}`);
      return sequenced(verdict.observation, i + 1);
    });
    return { plugin: plugin.name, observations };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
