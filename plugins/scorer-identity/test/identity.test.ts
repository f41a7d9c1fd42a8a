import assert from 'node:assert/strict';
import { isValidContainerNumber, migrateDeclarationV1, type Declaration, type Observation, type ScoringInput } from '@customs-hub/sdk';
import { scorer } from '../src/index.js';

let n = 0;
function ocr(containers: string[], plates: string[] = []): Observation {
  n++;
  return {
    schema: 'observation/v1',
    id: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    seq: n,
    checkpoint: 'CP',
    lane: 'L1',
    deviceId: 'ocr-1',
    plugin: { name: 'ocr', version: '1.0.0' },
    kind: 'identification',
    deviceTime: '2026-03-01T08:00:00Z',
    receivedAt: '2026-03-01T08:00:01Z',
    conveyance: { containers: containers.map((c) => ({ number: c, valid: isValidContainerNumber(c) })), plates: plates.map((number) => ({ number })) },
    alarms: [],
    quality: { status: 'good' },
    payload: { method: 'ocr' },
  };
}
function input(o: Observation[], d: Declaration | null, missingDevices: string[] = []): ScoringInput {
  const containers = o.flatMap((x) => x.conveyance.containers);
  const plates = o.flatMap((x) => x.conveyance.plates);
  return {
    case: {
      schema: 'inspection-case/v1',
      id: 'c',
      checkpoint: 'CP',
      lane: 'L1',
      state: 'closed',
      openedAt: '2026-03-01T08:00:00Z',
      observationIds: o.map((x) => x.id),
      conveyance: { containers, plates },
      missingDevices,
    },
    observations: o,
    declaration: d,
  };
}
const declared = (containers: string[]): Declaration =>
  migrateDeclarationV1({ number: 'D-9', containers, plates: ['A123BC77'], goods: [{ hsCode: '8471', description: 'laptops' }] });
const run = async (i: ScoringInput, config = {}) => scorer.create(config).score(i, { config, logger: console as never, signal: new AbortController().signal });

describe('identity scorer', () => {
  it('finds nothing to say when the declared container was seen', async () => {
    assert.deepEqual(await run(input([ocr(['CSQU3054383'])], declared(['CSQU3054383']))), []);
  });

  it('flags a container seen that the declaration does not list (a swap), naming both', async () => {
    const o = ocr(['TGHU8765436'], ['A123BC77']);
    const [c] = await run(input([o], declared(['CSQU3054383'])));
    assert.equal(c!.code, 'identity.container-mismatch');
    assert.equal(c!.score, 75);
    assert.equal(c!.reason, 'Container TGHU8765436 seen, but declaration D-9 lists CSQU3054383 (CSQU3054383 not seen)');
    assert.deepEqual(c!.evidence.observationIds, [o.id]);
  });

  it('makes an invalid check digit a finding of its own, mild when another reading got the number right', async () => {
    const [alone] = await run(input([ocr(['CSQU3054384'])], declared(['CSQU3054383'])));
    assert.equal(alone!.code, 'identity.invalid-check-digit');
    assert.equal(alone!.score, 30);
    assert.match(alone!.reason, /expected 3/);
    const out = await run(input([ocr(['CSQU3054384']), ocr(['CSQU3054383'])], declared(['CSQU3054383'])));
    assert.deepEqual(
      out.map((c) => [c.code, c.score]),
      [['identity.invalid-check-digit', 5]],
    );
  });

  it('scores a conveyance without declaration, one never identified, and each missing device', async () => {
    const none = await run(input([ocr(['CSQU3054383'])], null));
    assert.deepEqual(
      none.map((c) => [c.code, c.score]),
      [['identity.no-declaration', 50]],
    );
    const blind = await run(input([], null, ['rpm-1', 'ocr-1']), { missingDeviceScores: { 'rpm-1': 60 } });
    assert.deepEqual(
      blind.map((c) => [c.code, c.score]),
      [
        ['identity.unidentified', 20],
        ['identity.missing-device', 60],
        ['identity.missing-device', 30],
      ],
    );
    assert.equal(blind[1]!.reason, 'rpm-1 should have seen this conveyance and did not');
  });
});
