import assert from 'node:assert/strict';
import type { IdentificationPayload } from '@customs-hub/sdk';
import { frame, toJson, toXml } from '../src/simulator/encode.js';
import { freePort, harness, reading, sendOnce } from './helpers.js';

// An air cargo or baggage line's reader (AWB labels, bag tags) and a port's terminal gate (the vessel call)
// speak the gate's messages too; the identity lands where Declaration v2 matching looks for it.
describe('ocr-gate: air waybills, bag tags and the vessel call', function () {
  this.timeout(15000);

  it("an AWB reading (JSON) and a bag-tag scan (XML): the item as the conveyance's itemId, normalized, a failing AWB check digit kept as read", async () => {
    const port = await freePort();
    const { h } = harness({ tcp: { mode: 'listen', port } });
    await h.start();
    try {
      const awb = reading({
        id: 'AWB-1',
        containers: [],
        plates: [],
        items: [{ type: 'airWaybill', code: '020-1234567 5', confidence: 0.96 }],
        flight: { number: 'lh 123', date: '2026-12-01' },
      });
      const bag = reading({ id: 'BAG-1', containers: [], plates: [], items: [{ type: 'bagTag', code: '0220123456' }], method: 'barcode' });
      const misread = reading({ id: 'AWB-2', containers: [], plates: [], items: [{ type: 'airWaybill', code: '02012345676', confidence: 0.97 }] });
      await sendOnce(port, Buffer.concat([frame(toJson(awb)), frame(toXml(bag)), frame(toJson(misread))]));
      await h.waitFor(() => h.observations.length === 3, 5000, 'three readings');
      const [a, b, m] = h.observations;
      assert.equal(a!.conveyance.itemId, '02012345675');
      assert.deepEqual(a!.conveyance.containers, []);
      const pa = a!.payload as IdentificationPayload;
      assert.deepEqual(pa.items, [{ type: 'airWaybill', number: '02012345675', confidence: 0.96 }]);
      assert.deepEqual(pa.flight, { number: 'LH123', date: '2026-12-01' });
      assert.equal(a!.quality.status, 'good', String(a!.quality.reasons));
      assert.equal(b!.conveyance.itemId, '0220123456');
      assert.equal((b!.payload as IdentificationPayload).method, 'barcode');
      assert.equal(m!.conveyance.itemId, '02012345676', 'never corrected');
      assert.equal(m!.quality.status, 'uncertain');
      assert.deepEqual(m!.quality.reasons, ['air waybill 02012345676: the check digit does not hold (kept as read)']);
    } finally {
      await h.stop();
    }
  });

  it("a port gate's reading carries the vessel call (XML), the IMO number without its prefix", async () => {
    const port = await freePort();
    const { h } = harness({ tcp: { mode: 'listen', port } });
    await h.start();
    try {
      await sendOnce(port, frame(toXml(reading({ vessel: { name: 'NORDIC STAR', imo: 'IMO 9074729', voyage: '2610W' } }))));
      await h.waitFor(() => h.observations.length === 1);
      const p = h.observations[0]!.payload as IdentificationPayload;
      assert.deepEqual(p.vessel, { name: 'NORDIC STAR', imo: '9074729', voyage: '2610W' });
      assert.equal(h.observations[0]!.conveyance.containers[0]!.number, 'CSQU3054383');
    } finally {
      await h.stop();
    }
  });
});
