import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config/load-config.js';
import { caseFixture, fixedScorer, obs, type CaseFixture } from './case-fixture.js';

const SCORING = `scoring:
  correlation: { windowS: 60, closeAfterS: 120 }
  policy: { thresholds: { yellow: 40, red: 70 }, randomRate: 0 }
`;

/** A config whose lane L1 has these devices (no `expectedDevices`: the lane expects them all). */
function withLane(devices: string[]): string {
  return `lanes:\n  - id: L1\n    devices:\n${devices.map((d) => `      - { id: ${d}, plugin: virtual, config: {} }`).join('\n')}\n${SCORING}`;
}

const next = (devices: string[]) => parseConfig(`checkpoint: { id: CP1 }\ndataDir: /tmp/unused\n${withLane(devices)}`, '/tmp/unused/next.yaml', {}).config;

describe('cases after a config reload (issue 11)', () => {
  let f: CaseFixture;
  afterEach(async () => {
    await f?.close();
  });

  it("waits for the lane's new devices, not those it started with", async () => {
    f = await caseFixture(withLane(['ocr', 'rpm', 'scale']), [fixedScorer('alpha', 5)]);
    assert.deepEqual(f.module.service.correlator.expected('L1'), ['ocr', 'rpm', 'scale']);
    await f.module.reconfigure(next(['ocr', 'rpm', 'xray']));
    assert.deepEqual(f.module.service.correlator.expected('L1'), ['ocr', 'rpm', 'xray']);
    await f.write(obs({ device: 'ocr', kind: 'identification', t: 0, containers: ['CSQU3054383'] }));
    await f.write(obs({ device: 'rpm', kind: 'radiation.passage', t: 2 }));
    await f.write(obs({ device: 'xray', t: 20 }));
    await f.module.service.idle();
    const [c] = await f.module.store.list({ limit: 10 });
    assert.equal(c!.closeReason, 'complete', 'complete without the removed scale');
    assert.deepEqual(c!.missingDevices, []);
    assert.equal(c!.observationIds.length, 3);
  });

  it('closes an open case complete once the device it waited for is removed from the lane', async () => {
    f = await caseFixture(withLane(['ocr', 'rpm', 'scale']), [fixedScorer('alpha', 5)]);
    await f.write(obs({ device: 'ocr', kind: 'identification', t: 0, containers: ['CSQU3054383'] }));
    await f.write(obs({ device: 'rpm', kind: 'radiation.passage', t: 2 }));
    await f.module.service.idle();
    assert.equal((await f.module.store.list({ limit: 10 }))[0]!.state, 'open');
    await f.module.reconfigure(next(['ocr', 'rpm']));
    await f.module.service.idle();
    const [c] = await f.module.store.list({ limit: 10 });
    assert.equal(c!.closeReason, 'complete');
    assert.equal(c!.state, 'released');
  });
});
