import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { plugin } from '../src/index.js';
import { readThroughPlugin, sampleFiles, SAMPLES } from './helpers.js';

type Kinds = Partial<Record<string, number>>;

/**
 * Every real file the project holds, with what it must produce. A file added to the fixtures without a
 * line here fails the test, so each real file is either read correctly or refused for a stated reason.
 * Counts follow the files' content: e.g. ORTEC's 133 samples × 8 HPGe detectors = 1064 spectra.
 */
const EXPECTED: Record<string, { kinds: Kinds; uncertain?: number }> = {
  'nist-annex-b.n42': { kinds: { 'device.event': 1, 'radiation.spectrum': 1 } },
  'nist-annex-b-alternate-energy-calibration.n42': { kinds: { 'device.event': 1, 'radiation.spectrum': 1 } },
  'nist-annex-c.n42': {
    kinds: { 'device.event': 1, 'radiation.spectrum': 2, 'radiation.gross-count': 2, 'radiation.dose-rate': 2, 'radiation.nuclide-id': 1 },
  },
  'nist-annex-d.n42': { kinds: { 'device.event': 1, 'radiation.gross-count': 42 } },
  'nist-annex-d-alarmed.n42': { kinds: { 'device.event': 3, 'radiation.gross-count': 42, 'radiation.nuclide-id': 1 }, uncertain: 12 },
  'nist-annex-f.n42': { kinds: { 'device.event': 1, 'radiation.dose-rate': 3 } },
  'nist-annex-g.n42': { kinds: { 'device.event': 1, 'radiation.spectrum': 2, 'radiation.gross-count': 2, 'radiation.nuclide-id': 2 } },
  'nist-annex-h.n42': { kinds: { 'device.event': 1, 'radiation.gross-count': 2 } },
  // Zoneless times: every observation dated by them is uncertain, and says so.
  'nist-annex-i.n42': {
    kinds: { 'device.event': 2, 'radiation.spectrum': 2, 'radiation.gross-count': 2, 'radiation.dose-rate': 2, 'radiation.nuclide-id': 2 },
    uncertain: 10,
  },
  'nist-annex-l.n42': { kinds: { 'device.event': 1, 'radiation.gross-count': 2 } },
  'ortec-spectroscopic-portal-2006.n42': { kinds: { 'device.event': 1, 'radiation.spectrum': 1064, 'radiation.gross-count': 133 } },
};

/** The other real files the project holds (DICOS samples): not N42, so the N42 reader must not take them. */
const DICOS_SAMPLES = join(__dirname, '../../../dicos/samples');

describe('n42 corpus: every real file the project holds', () => {
  it('lists every fixture, and nothing that is not there', () => {
    assert.deepEqual(sampleFiles(), Object.keys(EXPECTED).sort());
  });

  for (const [file, want] of Object.entries(EXPECTED)) {
    it(`${file}: ${Object.entries(want.kinds)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')}`, async () => {
      const obs = await readThroughPlugin(join(SAMPLES, file));
      const kinds: Kinds = {};
      for (const o of obs) kinds[o.kind] = (kinds[o.kind] ?? 0) + 1;
      assert.deepEqual(kinds, want.kinds);
      const uncertain = obs.filter((o) => o.quality.status !== 'good');
      assert.equal(uncertain.length, want.uncertain ?? 0);
      for (const o of uncertain) assert.ok(o.quality.reasons && o.quality.reasons.length > 0, 'an uncertain observation says why');
    });
  }

  it('the N42 reader does not take the DICOS files', () => {
    const files = readdirSync(DICOS_SAMPLES).filter((f) => f.endsWith('.dcs'));
    assert.ok(files.length >= 4);
    for (const f of files) assert.equal(plugin.files!.accepts({ name: f, head: readFileSync(join(DICOS_SAMPLES, f)).subarray(0, 4096) }), false, f);
  });
});
