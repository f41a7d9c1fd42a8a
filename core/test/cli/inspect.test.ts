import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RejectedInputError, type Logger } from '@customs-hub/sdk';
import { inspectTargets } from '../../src/cli/commands/inspect.js';
import { inspectFile } from '../../src/cli/inspect-file.js';
import { ObservationPipeline } from '../../src/pipeline/observation-pipeline.js';
import { PluginRegistry } from '../../src/plugins/plugin-registry.js';
import { FIXTURES } from '../helpers/hub-config.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

describe('customs-hub inspect validates as the hub does', () => {
  const registry = PluginRegistry.discover({ workspaceDir: null });
  registry.load(join(FIXTURES, 'line-reader.js'));
  const dir = mkdtempSync(join(tmpdir(), 'hub-inspect-test-'));

  it('prints what the hub would take', async () => {
    const file = join(dir, 'ok.lines');
    writeFileSync(file, 'rec-1\nrec-2\n');
    const { plugin, observations } = await inspectFile(file, registry, silent);
    assert.equal(plugin, 'line-reader');
    assert.deepEqual(
      observations.map((o) => [o.sourceId, o.seq]),
      [
        ['rec-1', 1],
        ['rec-2', 2],
      ],
    );
  });

  it('refuses a file with an observation the hub would refuse (a 65,534-character record id), like the pipeline', async () => {
    const file = join(dir, 'long.lines');
    const longId = '1.2.'.padEnd(65_534, '9');
    writeFileSync(file, `rec-1\n${longId}\n`);
    const err = await inspectFile(file, registry, silent).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(err instanceof RejectedInputError, String(err));
    assert.match(err.reason, /^observation 2 of 2 would be refused by the hub: \/sourceId: must NOT have more than 200 characters/);
    // The pipeline refuses the very same draft for the same reason.
    const letters: string[] = [];
    const pipeline = new ObservationPipeline(
      'CP',
      { write: async () => assert.fail('stored') } as never,
      {
        add: async (l: { reason: string }) => {
          letters.push(l.reason);
          return 'dl-1';
        },
      } as never,
      silent as never,
    );
    await assert.rejects(
      pipeline.emit(
        { deviceId: 'D', lane: null, plugin: { name: 'line-reader', version: '1.0.0' }, kinds: ['telemetry'] },
        { kind: 'telemetry', sourceId: longId, payload: { values: { n: { value: 1 } } } },
      ),
    );
    assert.equal(`observation 2 of 2 would be refused by the hub: ${letters[0]}`, err.reason);
  });
});

describe('customs-hub inspect of a folder', () => {
  it('stands for every file under it, sorted, beside the files named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-inspect-dir-'));
    mkdirSync(join(dir, 'lane-2'));
    writeFileSync(join(dir, 'b.lines'), 'x\n');
    writeFileSync(join(dir, 'a.lines'), 'x\n');
    writeFileSync(join(dir, 'lane-2', 'c.lines'), 'x\n');
    const other = join(tmpdir(), 'not-there.lines');
    assert.deepEqual(inspectTargets([dir, other]), [join(dir, 'a.lines'), join(dir, 'b.lines'), join(dir, 'lane-2', 'c.lines'), other]);
  });
});
