import assert from 'node:assert/strict';
import { join } from 'node:path';
import { containerCheckDigit, type Observation } from '@customs-hub/sdk';
import { createHub } from '../src/bootstrap.js';
import type { HubConfig } from '../src/config/types.js';
import type { Hub } from '../src/hub.js';
import { newId } from '../src/pipeline/ids.js';
import { openDatabase } from '../src/storage/database.js';
import { observationRow } from '../src/storage/group-commit-writer.js';
import { FIXTURES, memoryLogger, testConfig, waitFor } from './helpers/hub-config.js';

const T0 = Date.now() - 20 * 60_000;
function weighing(n: number): Observation {
  const first10 = `STRT${String(n).padStart(6, '0')}`;
  const t = new Date(T0 + n * 500).toISOString();
  return {
    schema: 'observation/v1',
    id: newId(),
    seq: 0,
    checkpoint: 'START-1',
    lane: 'L1',
    deviceId: 'SCALE',
    plugin: { name: 'p', version: '1.0.0' },
    kind: 'weight',
    deviceTime: t,
    receivedAt: new Date().toISOString(),
    sourceId: `w-${n}`,
    conveyance: { containers: [{ number: `${first10}${containerCheckDigit(first10)}`, valid: true }], plates: [] },
    alarms: [],
    quality: { status: 'good' },
    payload: { grossKg: 24_000, stable: true },
  } as Observation;
}

async function started(config: HubConfig): Promise<{ hub: Hub; lines: Array<Record<string, any>> }> {
  const { logger, lines } = memoryLogger();
  const { hub } = await createHub(config, { logger, workspaceDir: null });
  await hub.start({ listen: false });
  return { hub, lines };
}
const recovered = (lines: Array<Record<string, any>>) => lines.find((l) => l.msg === 'cases recovered');

describe('hub start-up', function () {
  this.timeout(120_000);

  it('recovers from its correlator checkpoint: replays what came after it, not the history', async () => {
    const config = testConfig('checkpoint: { id: START-1 }\nlanes:\n  - id: L1\n    devices: []\nscoring:\n  correlation: { windowS: 5, closeAfterS: 10 }\n');
    const first = await started(config);
    const N = 1500;
    for (let i = 0; i < N; i += 250)
      await Promise.all(Array.from({ length: 250 }, (_, j) => first.hub.writer.write({ type: 'observation', observation: weighing(i + j) })));
    await first.hub.cases.service.idle();
    await first.hub.stop(); // a final checkpoint, as after any graceful stop; a crash leaves the last periodic one
    // Observations committed after that checkpoint and never correlated (what a kill -9 leaves behind).
    const db = await openDatabase(config.storage.url);
    const max = Number((await db.knex('observations').max({ m: 'seq' }).first())!.m);
    const late = Array.from({ length: 40 }, (_, i) => ({ ...weighing(N + i), seq: max + 1 + i }));
    await db.knex('observations').insert(late.map(observationRow));
    const state = await db.knex('correlator_state').first();
    assert.ok(Number(state.processed_seq) >= N, `checkpoint at ${state.processed_seq}`);
    await db.close();

    const second = await started(config);
    try {
      assert.equal(recovered(second.lines)?.replayed, 40, 'only what came after the checkpoint');
      await second.hub.cases.service.idle();
    } finally {
      await second.hub.stop();
    }
    const db1 = await openDatabase(config.storage.url);
    const linked = await db1.knex('case_observations').whereIn(
      'observation_id',
      late.map((o) => o.id),
    );
    await db1.close();
    assert.equal(linked.length, 40, 'the late observations joined cases (links stored by the checkpoint at stop)');

    // Without a checkpoint (an older hub's data) the replay goes back over the history: what the checkpoint saves.
    const db2 = await openDatabase(config.storage.url);
    await db2.knex('correlator_state').del();
    await db2
      .knex('case_observations')
      .whereIn(
        'observation_id',
        late.map((o) => o.id),
      )
      .del();
    await db2.close();
    const third = await started(config);
    try {
      assert.ok((recovered(third.lines)?.replayed ?? 0) > 40, `replayed ${recovered(third.lines)?.replayed}`);
    } finally {
      await third.hub.stop();
    }
  });

  it('answers /health/live at once and /health/ready only when started; other routes say starting', async () => {
    const config = testConfig(
      `checkpoint: { id: START-2 }\nlanes:\n  - id: L1\n    devices:\n      - { id: SLOW, plugin: slow-start, config: { ms: 2500 } }\n`,
    );
    config.http.host = '127.0.0.1';
    const { hub } = await createHub(config, { logger: memoryLogger().logger, workspaceDir: null, pluginPaths: [join(FIXTURES, 'slow-start.js')] });
    const starting = hub.start();
    try {
      await waitFor(() => Boolean(hub.http.info.port), 10_000, 'the listener');
      const url = `http://127.0.0.1:${hub.http.info.port}`;
      await waitFor(async () => (await fetch(`${url}/health/live`).catch(() => null))?.status === 200, 10_000, '/health/live');
      assert.equal((await fetch(`${url}/health/ready`)).status, 503);
      const api = await fetch(`${url}/api/v1/feed`);
      assert.equal(api.status, 503);
      assert.match(((await api.json()) as { message: string }).message, /starting/);
      await starting;
      assert.equal((await fetch(`${url}/health/ready`)).status, 200);
    } finally {
      await hub.stop();
    }
  });

  it('stops cleanly when asked to stop during its start', async () => {
    const config = testConfig(
      `checkpoint: { id: START-3 }\nlanes:\n  - id: L1\n    devices:\n      - { id: SLOW, plugin: slow-start, config: { ms: 2500 } }\n`,
    );
    const { hub } = await createHub(config, { logger: memoryLogger().logger, workspaceDir: null, pluginPaths: [join(FIXTURES, 'slow-start.js')] });
    const starting = hub.start({ listen: false });
    await new Promise((r) => setTimeout(r, 200));
    await hub.stop();
    await starting;
    const ready = await hub.readiness();
    assert.equal(ready.ok, false);
    // The data dir is free again: another hub can start on it.
    const { hub: again } = await createHub(config, { logger: memoryLogger().logger, workspaceDir: null, pluginPaths: [join(FIXTURES, 'slow-start.js')] });
    await again.start({ listen: false });
    await again.stop();
  });
});
