import type { FileReader } from '@customs-hub/sdk';
import { hasDicmMarker, readDicosFile } from './dicos-file.js';
import { draftFor, rawOptions } from './drafts.js';
import { fileSource } from './file-source.js';

/**
 * Reads DICOS files without a running device (`customs-hub inspect FILE`). Claims files with the
 * DICM marker, and .dcs files without it, so that a broken DICOS file is rejected with a reason.
 */
export const dicosFileReader: FileReader = {
  accepts: ({ name, head }) => hasDicmMarker(head) || /\.(dcs|dicos)$/i.test(name),
  async read(file, ctx) {
    const parsed = await readDicosFile(file.path, file.name);
    const raw = await ctx.storeRaw(fileSource(file.path), rawOptions(parsed));
    return [await draftFor(parsed, raw, file.path, ctx)];
  },
};
