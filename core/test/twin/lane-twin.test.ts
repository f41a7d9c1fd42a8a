import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InspectionCase, Observation } from '@customs-hub/sdk';
import { createHub } from '../../src/bootstrap.js';
import type { CaseModule } from '../../src/cases/case-module.js';
import { parseConfig } from '../../src/config/load-config.js';
import type { Hub } from '../../src/hub.js';
import { Tokens } from '../../src/tokens.js';
import { twinCheckpointYaml } from '../../src/twin/twin-checkpoint.js';
import { waitFor } from '../helpers/hub-config.js';

// A cargo lane of four devices speaking their real protocols (ASCII portal stream, Modbus weighbridge,
// OPC UA X-ray with HTTP images, N42 stream), each played by its simulator, all driven by the lane twin.
describe('lane twin: a cargo lane of real-protocol devices', function () {
  this.timeout(240_000);
  let hub: Hub | null = null;
  let dir = '';
  afterEach(async () => {
    await hub?.stop();
    hub = null;
    rmSync(dir, { recursive: true, force: true });
  });

  it('yields one correct case per vehicle: vehicles 14 s apart are never merged, each joins its declaration', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hub-twin-'));
    const vehicles = 4;
    const { yaml } = await twinCheckpointYaml({
      dataDir: dir,
      lanes: 1,
      seed: 11,
      intervalS: 15,
      pace: 0.4,
      identityPlugins: { ocr: false, lpr: false },
      scoringExtra: '  policy: { randomRate: 0 }\n',
      twinExtra: `dropoutRate: 0, plateMisreadRate: 0, warmUpVehicles: 2, vehicleLimit: ${vehicles}`,
    });
    const { config } = parseConfig(yaml, join(dir, 'twin.yaml'), {});
    const made = await createHub(config, {});
    hub = made.hub;
    await hub.start();
    const cases = made.container.resolve<CaseModule>(Tokens.Cases);
    const twin = hub.twin!.twin;
    await waitFor(() => twin.done, 120_000, 'the twin to drive every vehicle');
    const settled = async () => (await cases.store.list({ limit: 100 })).filter((c) => c.state !== 'open');
    await waitFor(async () => (await settled()).length >= vehicles, 60_000, `${vehicles} settled cases`);
    await cases.service.idle();
    const all: InspectionCase[] = await cases.store.list({ limit: 100 });
    assert.equal(all.length, vehicles, `one case per vehicle: ${all.map((c) => `${c.id} ${c.observationIds.length} obs`).join('; ')}`);
    for (const record of twin.records) {
      const v = record.vehicle;
      const mine = all.filter((c) => c.conveyance!.containers.some((x) => v.containers.includes(x.number)));
      assert.equal(mine.length, 1, `vehicle ${v.id} (${v.containers.join(', ')}) is in exactly one case`);
      const c = mine[0]!;
      assert.equal(c.closeReason, 'complete', `${v.id}: ${c.missingDevices?.join(', ')}`);
      assert.deepEqual(c.conveyance!.containers.map((x) => x.number).sort(), [...v.containers].sort(), 'the X-ray read its boxes and only those');
      assert.equal(c.declarationNumber, v.declaration.number, 'joined to its own declaration');
      const observations: Observation[] = await cases.store.observations(c.observationIds);
      const byKind = (k: string) => observations.filter((o) => o.kind === k);
      assert.equal(byKind('radiation.passage').length, 1, 'one portal passage');
      assert.equal(byKind('xray.scan').length, 1, 'one scan');
      assert.equal(byKind('weight').length, 1, 'one weighing');
      const gross = (byKind('weight')[0]!.payload as { grossKg: number }).grossKg;
      const truth = v.delivery.tareKg + v.delivery.netKg;
      assert.ok(Math.abs(gross - truth) <= 60, `${v.id} weighed ${gross} kg, truly ${truth} kg`);
      const alarmed = (byKind('radiation.passage')[0]!.payload as { hubAlarm: { gamma: boolean } }).hubAlarm.gamma;
      if (v.radiation === 'clean') assert.equal(alarmed, false, `${v.id} carries nothing radioactive`);
      if (v.radiation === 'source' || v.radiation === 'norm') assert.equal(alarmed, true, `${v.id} carries ${v.radiation}`);
    }
  });
});
