import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineScorer } from '@customs-hub/sdk';
import { ScorerRegistry } from '../../src/scoring/scorer-registry.js';
import { scoringSection } from '../../src/scoring/scoring-config.js';
import { sectionContext } from '../helpers/hub-config.js';
import { ScoringStage } from '../../src/scoring/scoring-stage.js';
import { createLogger } from '../../src/util/logger.js';

const SDK = require.resolve('@customs-hub/sdk');

function workspace(packages: Record<string, { pkg: object; main: string }>): string {
  const dir = mkdtempSync(join(tmpdir(), 'hub-scorers-'));
  for (const [name, p] of Object.entries(packages)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'package.json'), JSON.stringify({ name, main: 'index.js', ...p.pkg }));
    writeFileSync(join(dir, name, 'index.js'), p.main.replace('SDK', JSON.stringify(SDK)));
  }
  return dir;
}

const scorerModule = (name: string, sdk: string) => `const { defineScorer } = require(SDK);
exports.scorer = defineScorer({ manifest: { name: '${name}', version: '1.0.0', sdk: '${sdk}', configSchema: { type: 'object', properties: { limit: { type: 'number' } }, additionalProperties: false } }, create: () => ({ score: () => [] }) });`;

describe('scorer loading', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('discovers workspace scorers by their manifest flag and refuses incompatible or broken ones with a reason', () => {
    dir = workspace({
      good: { pkg: { customsHub: { scorer: true } }, main: scorerModule('good', '^1.0.0') },
      future: { pkg: { customsHub: { scorer: true } }, main: scorerModule('future', '^2.0.0') },
      notascorer: { pkg: { customsHub: { scorer: true } }, main: 'exports.plugin = {};' },
      device: { pkg: { customsHub: { plugin: true } }, main: 'throw new Error("never loaded")' },
    });
    const r = ScorerRegistry.discover({ workspaceDir: dir, packages: ['@customs-hub/no-such-scorer'] });
    assert.deepEqual([...r.scorers.keys()], ['good']);
    const reasons = r.refused.map((x) => x.reason).join('\n');
    assert.match(reasons, /scorer future requires SDK \^2\.0\.0 but this hub provides SDK 1\.1\.0/);
    assert.match(reasons, /does not export a scorer as 'scorer'/);
    assert.match(reasons, /package not found/);
  });

  it('fails at boot on a scorer config its schema refuses, naming the config path', () => {
    dir = workspace({ good: { pkg: { customsHub: { scorer: true } }, main: scorerModule('good', '^1.0.0') } });
    const r = ScorerRegistry.discover({ workspaceDir: dir });
    const config = scoringSection.parse({ scorers: [{ name: 'good', config: { limit: 'ten' } }] }, sectionContext());
    assert.throws(() => new ScoringStage(r, config, createLogger('silent')), /scoring\.scorers\[0\]\.config of scorer good is invalid: \/limit must be number/);
  });

  it('reports a configured scorer that is not installed on every case, and never runs a disabled one', async () => {
    const r = new ScorerRegistry();
    let ran = false;
    r.load(
      defineScorer({
        manifest: { name: 'off', version: '1.0.0', sdk: '^1.0.0' },
        create: () => ({
          score: () => {
            ran = true;
            return [];
          },
        }),
      }),
    );
    const config = scoringSection.parse({ scorers: [{ name: 'off', enabled: false }, { name: 'radiation' }], policy: { randomRate: 0 } }, sectionContext());
    const stage = new ScoringStage(r, config, createLogger('silent'));
    const risk = await stage.score({
      case: { schema: 'inspection-case/v1', id: 'c', checkpoint: 'CP', lane: 'L', state: 'closed', openedAt: new Date().toISOString(), observationIds: [] },
      observations: [],
      declaration: null,
    });
    assert.equal(ran, false);
    assert.deepEqual(risk.skipped, [{ scorer: 'radiation', reason: 'not installed (scoring.scorers[1])' }]);
    assert.equal(risk.channel, 'green');
  });

  it('refuses a scorer returning a malformed contribution, naming what is wrong', async () => {
    const r = new ScorerRegistry();
    r.load(
      defineScorer({
        manifest: { name: 'sloppy', version: '1.0.0', sdk: '^1.0.0' },
        create: () => ({ score: () => [{ code: 'x', score: 140, reason: 'r', evidence: { observationIds: [] } }] }),
      }),
    );
    const stage = new ScoringStage(r, scoringSection.parse({}, sectionContext()), createLogger('silent'));
    const risk = await stage.score({
      case: { schema: 'inspection-case/v1', id: 'c', checkpoint: 'CP', lane: 'L', state: 'closed', openedAt: new Date().toISOString(), observationIds: [] },
      observations: [],
      declaration: null,
    });
    assert.deepEqual(risk.skipped, [{ scorer: 'sloppy', reason: 'returned a contribution [0] (x) with score 140 outside 0–100' }]);
  });
});
