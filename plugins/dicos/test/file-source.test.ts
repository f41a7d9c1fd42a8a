import assert from 'node:assert/strict';
import { join } from 'node:path';
import { directoryRawStore } from '@customs-hub/sdk/testing';
import { fileSource } from '../src/file-source.js';
import { tempDir } from './helpers.js';

describe('dicos: file source for the raw store', () => {
  it('a file that vanished before the store reads it rejects the store, with no uncaught error', async () => {
    const dir = tempDir('gone');
    const crashes: unknown[] = [];
    const onCrash = (e: unknown) => crashes.push(e);
    process.on('uncaughtException', onCrash);
    try {
      await assert.rejects(directoryRawStore(join(dir, 'raw'))(fileSource(join(dir, 'gone.dcs'))), /ENOENT/);
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('uncaughtException', onCrash);
    }
    assert.deepEqual(crashes, []);
  });
});
