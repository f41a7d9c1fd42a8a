import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScorerPlugin } from '@customs-hub/sdk';
import { createHub } from '../../src/bootstrap.js';
import { loadConfigFile } from '../../src/config/load-config.js';
import { importDeclarations } from '../../src/declarations/import/import-declarations.js';
import type { Hub } from '../../src/hub.js';
import { ModelStore } from '../../src/risk-model/model-store.js';
import { loadLabelled, trainModel, TRAINING_PARAMS } from '../../src/risk-model/train-model.js';
import { openDatabase } from '../../src/storage/database.js';
import { memoryLogger } from '../helpers/hub-config.js';
import { mapping, QUICK, SUBSET } from './risk-fixture.js';

const declarationModel = (require('@customs-hub/scorer-declaration-model') as { scorer: ScorerPlugin }).scorer;

describe('a model promoted from the command line reaches a running hub on reload', function () {
  this.timeout(120_000);
  let dir = '';
  let hub: Hub | undefined;
  after(async () => {
    await hub?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('scores with the promoted model after `customs-hub reload`, not before', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hub-promote-reload-'));
    const file = join(dir, 'checkpoint.yaml');
    const db = `sqlite:${join(dir, 'hub.db')}`;
    writeFileSync(
      file,
      `checkpoint: { id: CP-R }\ndataDir: ${dir}\nhttp: { port: 0 }\nlogging: { level: silent }\nstorage: { url: "${db}" }\n` +
        'scoring:\n  scorers:\n    - { name: declaration-model }\n  policy: { name: t, randomRate: 0 }\n',
    );
    ({ hub } = await createHub(loadConfigFile(file).config, { logger: memoryLogger().logger, workspaceDir: null, scorers: [declarationModel] }));
    await hub.start({ listen: false });
    const liveId = (): string | null => hub!.cases.risk.models.live?.id ?? null;
    assert.equal(liveId(), null);

    // What `model train` and `model promote` do: another process, its own connection to the hub's storage.
    const cli = await openDatabase(db);
    let id: string;
    try {
      await importDeclarations([SUBSET], { db: cli, checkpoint: 'CP-R', mapping: mapping() });
      const store = new ModelStore(cli, 'CP-R');
      id = (await store.save(await trainModel(await loadLabelled(cli, 'CP-R'), { ...TRAINING_PARAMS, ...QUICK }))).id;
      await store.promote(id);
    } finally {
      await cli.close();
    }
    assert.equal(liveId(), null, 'storage alone does not reach the running hub');
    await hub.reload();
    assert.equal(liveId(), id);
    const d = (await hub.cases.declarations.list(1))[0]!;
    const out = await hub.cases.stage.scoreDeclaration(d);
    const main = out.contributions.find((c) => c.code === 'declaration-model.risk');
    assert.equal((main?.evidence.values?.model as { id: string } | undefined)?.id, id);
  });
});
