import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IdentificationPayload, InspectionCase, Observation } from '@customs-hub/sdk';
import { freePort } from '@customs-hub/sdk/testing';
import { createHub } from '../../src/bootstrap.js';
import type { CaseModule } from '../../src/cases/case-module.js';
import { parseConfig } from '../../src/config/load-config.js';
import type { Hub } from '../../src/hub.js';
import { Tokens } from '../../src/tokens.js';
import type { TwinRecord } from '../../src/twin/lane-twin.js';
import { waitFor } from '../helpers/hub-config.js';

// A port gate (terminal OCR reading the boxes off a vessel, a portal), an air cargo line (the AWB label
// read at the belt, a DICOS X-ray) and a baggage line (the bag tag scanned, a DICOS X-ray), each device over
// its own protocol, all driven by the lane twin; declarations name the vessel call, the AWB, the bag tag.
describe('lane twin: sea and air lanes joined to their declarations by Declaration v2 identifiers', function () {
  this.timeout(180_000);
  const perLane = 2;
  let hub: Hub | null = null;
  let cases: CaseModule;
  let records: TwinRecord[] = [];
  let all: InspectionCase[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'hub-sea-air-'));

  before(async () => {
    const [portGate, rpm, airGate, bagGate] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const gate = (lane: string, port: number) =>
      `  - { plugin: ocr-gate, simulator: ocr-gate, device: ${lane}-OCR, options: { transport: tcp, port: ${port}, seed: 3, images: 1 } }`;
    const yaml = `checkpoint: { id: SEA-AIR-1 }
dataDir: ${dir}
storage: { url: "sqlite:${dir}/hub.db", batchMaxDelayMs: 2 }
http: { host: 127.0.0.1, port: 0 }
logging: { level: silent }
simulators:
${gate('PORT-1', portGate)}
  - { plugin: rpm, simulator: rpm, device: PORT-1-RPM, options: { transport: ascii, port: ${rpm}, seed: 3 } }
${gate('AIR-1', airGate)}
  - { plugin: dicos, simulator: dicos, device: AIR-1-XRAY, options: { dir: ${dir}/air-inbox, seed: 3 } }
${gate('BAG-1', bagGate)}
  - { plugin: dicos, simulator: dicos, device: BAG-1-XRAY, options: { dir: ${dir}/bag-inbox, seed: 4 } }
lanes:
  - id: PORT-1
    type: port
    devices:
      - { id: PORT-1-OCR, plugin: ocr-gate, config: { tcp: { mode: listen, port: ${portGate} } } }
      - { id: PORT-1-RPM, plugin: rpm, config: { host: 127.0.0.1, port: ${rpm} } }
  - id: AIR-1
    type: air-cargo
    devices:
      - { id: AIR-1-OCR, plugin: ocr-gate, config: { tcp: { mode: listen, port: ${airGate} } } }
      - { id: AIR-1-XRAY, plugin: dicos, config: { watchDir: ${dir}/air-inbox, pollIntervalMs: 100 } }
  - id: BAG-1
    type: baggage
    devices:
      - { id: BAG-1-OCR, plugin: ocr-gate, config: { tcp: { mode: listen, port: ${bagGate} } } }
      - { id: BAG-1-XRAY, plugin: dicos, config: { watchDir: ${dir}/bag-inbox, pollIntervalMs: 100 } }
twin: { lanes: [PORT-1, AIR-1, BAG-1], seed: 9, intervalS: 12, pace: 0.4, preArrivalS: 5, dropoutRate: 0, warmUpVehicles: ${perLane}, vehicleLimit: ${3 * perLane} }
scoring:
  correlation: { windowS: 60, closeAfterS: 60 }
  policy: { randomRate: 0 }
`;
    const { config } = parseConfig(yaml, join(dir, 'sea-air.yaml'), {});
    const made = await createHub(config, {});
    hub = made.hub;
    await hub.start();
    cases = made.container.resolve<CaseModule>(Tokens.Cases);
    const twin = hub.twin!.twin;
    await waitFor(() => twin.done, 90_000, 'the twin to drive every conveyance');
    await waitFor(
      async () => (await cases.store.list({ limit: 100 })).filter((c) => c.state !== 'open').length >= 3 * perLane,
      60_000,
      `${3 * perLane} settled cases`,
    );
    await cases.service.idle();
    records = twin.records;
    all = await cases.store.list({ limit: 100 });
  });

  after(async () => {
    await hub?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The conveyance's one case (by the identity its reader read), complete and joined to its own declaration. */
  async function oneCase(r: TwinRecord, identifies: (c: InspectionCase) => boolean): Promise<{ c: InspectionCase; observations: Observation[] }> {
    const mine = all.filter((c) => c.lane === r.lane && identifies(c));
    assert.equal(
      mine.length,
      1,
      `${r.vehicle.id} on ${r.lane} is in exactly one case (${all
        .filter((c) => c.lane === r.lane)
        .map((c) => JSON.stringify(c.conveyance))
        .join('; ')})`,
    );
    const c = mine[0]!;
    assert.equal(c.closeReason, 'complete', `${r.vehicle.id}: missing ${c.missingDevices?.join(', ')}`);
    assert.equal(c.declarationNumber, r.vehicle.declaration.number, `${r.vehicle.id} joined to its own declaration`);
    return { c, observations: await cases.store.observations(c.observationIds) };
  }

  const lane = (id: string) => records.filter((r) => r.lane === id);
  const reading = (observations: Observation[]) => observations.find((o) => o.kind === 'identification')!.payload as IdentificationPayload;

  it('a port gate: one case per truck, its boxes read by the terminal OCR, the vessel call with them', async () => {
    assert.equal(lane('PORT-1').length, perLane);
    for (const r of lane('PORT-1')) {
      const v = r.vehicle;
      assert.ok(v.declaration.transport.vessel?.voyage, 'declared with its vessel call');
      const { c, observations } = await oneCase(r, (x) => x.conveyance!.containers.some((b) => v.containers.includes(b.number)));
      assert.deepEqual(reading(observations).vessel, v.declaration.transport.vessel, 'the gate gave the vessel call of the declaration');
      assert.deepEqual(observations.map((o) => o.kind).sort(), ['identification', 'radiation.passage']);
      assert.equal(c.observationIds.length, 2);
    }
  });

  it('an air cargo line: one case per ULD, joined by its air waybill; the DICOS scan names the same AWB', async () => {
    assert.equal(lane('AIR-1').length, perLane);
    for (const r of lane('AIR-1')) {
      const awb = r.vehicle.declaration.transport.airWaybills[0]!;
      assert.match(awb, /^\d{11}$/);
      const { c, observations } = await oneCase(r, (x) => x.conveyance!.itemId === awb);
      assert.deepEqual(reading(observations).items, [{ type: 'airWaybill', number: awb, confidence: reading(observations).items![0]!.confidence }]);
      assert.equal(reading(observations).flight?.number, r.vehicle.declaration.transport.flight?.number);
      const scans = observations.filter((o) => o.deviceId === 'AIR-1-XRAY');
      assert.ok(scans.length >= 1 && scans.every((o) => o.conveyance.itemId === awb), 'every DICOS file of the ULD in its case');
      assert.equal(c.conveyance!.containers.length, 0);
    }
  });

  it('a baggage line: one case per bag, joined by its bag tag', async () => {
    assert.equal(lane('BAG-1').length, perLane);
    for (const r of lane('BAG-1')) {
      const tag = r.vehicle.declaration.transport.bagTags[0]!;
      assert.match(tag, /^\d{10}$/);
      const { observations } = await oneCase(r, (x) => x.conveyance!.itemId === tag);
      assert.equal(reading(observations).method, 'barcode', 'a bag tag is scanned');
      assert.ok(observations.some((o) => o.deviceId === 'BAG-1-XRAY' && o.conveyance.itemId === tag));
    }
  });
});
