import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { RejectedInputError, type Driver } from '@customs-hub/sdk';
import { TestHarness } from '@customs-hub/sdk/testing';
import { plugin } from '../src/index.js';
import type { N42Config } from '../src/config.js';
import { readThroughPlugin, SAMPLES, tempDir } from './helpers.js';

const ANNEX_C = join(SAMPLES, 'nist-annex-c.n42');

function harness(config: N42Config): TestHarness<N42Config> {
  return new TestHarness(plugin, { config });
}

function driverOf(h: TestHarness<N42Config>): Driver {
  return (h as unknown as { driver: Driver }).driver;
}

describe('n42 hot folder and uploads', () => {
  let dir: string;
  let expected: number;
  before(async () => {
    expected = (await readThroughPlugin(ANNEX_C)).length;
  });
  beforeEach(() => {
    dir = tempDir('watch');
  });

  it('moves a good file to done/ after its observations are stored, a bad one to rejected/ with the reason beside it', async () => {
    const h = harness({ watchDir: dir, pollMs: 20 });
    copyFileSync(ANNEX_C, join(dir, 'riid.n42'));
    writeFileSync(join(dir, 'broken.n42'), readFileSync(ANNEX_C, 'utf8').slice(0, 3000));
    await h.start();
    try {
      await h.waitFor(
        () => existsSync(join(dir, 'done', 'riid.n42')) && existsSync(join(dir, 'rejected', 'broken.n42.reason.txt')),
        5000,
        'both files handled',
      );
    } finally {
      await h.stop();
    }
    assert.equal(h.observations.length, expected);
    assert.deepEqual(h.rejected, []);
    assert.deepEqual(readdirSync(dir).sort(), ['done', 'rejected']);
    const reason = readFileSync(join(dir, 'rejected', 'broken.n42.reason.txt'), 'utf8');
    assert.match(reason, /^broken\.n42:\d+:\d+: unclosed tag: /);
    assert.ok(h.statuses.some((s) => s.type === 'failure' && s.detail === `broken.n42 rejected: ${reason.trim()}`));
    assert.ok(h.statuses.some((s) => s.type === 'ok' && s.detail === `riid.n42: ${expected} observation(s)`));
    // The stored raw source is the file itself.
    const sha = createHash('sha256').update(readFileSync(ANNEX_C)).digest('hex');
    assert.ok(h.observations.every((o) => o.raw?.[0]?.sha256 === sha));
  });

  it('re-ingesting a file (as after a crash before the move) creates no duplicates', async () => {
    const h = harness({ watchDir: dir, pollMs: 20 });
    copyFileSync(ANNEX_C, join(dir, 'riid.n42'));
    await h.start();
    try {
      await h.waitFor(() => existsSync(join(dir, 'done', 'riid.n42')), 5000, 'first ingest');
      copyFileSync(ANNEX_C, join(dir, 'riid.n42'));
      await h.waitFor(() => readdirSync(join(dir, 'done')).length === 2, 5000, 'second ingest');
    } finally {
      await h.stop();
    }
    assert.equal(h.observations.length, expected);
    assert.ok(h.statuses.some((s) => s.detail === `riid.n42: 0 observation(s), ${expected} already stored`));
    assert.ok(
      readdirSync(join(dir, 'done')).some((n) => /^\d+-riid\.n42$/.test(n)),
      'the earlier done file is kept',
    );
  });

  it('leaves a file in place when the hub cannot store, and ingests it on a later scan', async () => {
    const h = harness({ watchDir: dir, pollMs: 20 });
    h.failEmits(2);
    copyFileSync(ANNEX_C, join(dir, 'riid.n42'));
    await h.start();
    try {
      await h.waitFor(() => existsSync(join(dir, 'done', 'riid.n42')), 5000, 'ingest after failures');
    } finally {
      await h.stop();
    }
    assert.equal(h.statuses.filter((s) => s.type === 'failure' && /riid\.n42: storage unavailable .*; will retry/.test(s.detail)).length, 2);
    assert.equal(h.observations.length, expected);
    assert.equal(new Set(h.observations.map((o) => o.sourceId)).size, expected);
  });

  it('ignores temporary and hidden files that writers are still filling', async () => {
    const h = harness({ watchDir: dir, pollMs: 20 });
    copyFileSync(ANNEX_C, join(dir, '.riid.n42.tmp'));
    copyFileSync(ANNEX_C, join(dir, 'riid.n42.part'));
    copyFileSync(ANNEX_C, join(dir, 'real.n42'));
    await h.start();
    try {
      await h.waitFor(() => existsSync(join(dir, 'done', 'real.n42')), 5000, 'real file');
    } finally {
      await h.stop();
    }
    assert.deepEqual(readdirSync(dir).sort(), ['.riid.n42.tmp', 'done', 'rejected', 'riid.n42.part']);
    assert.equal(h.observations.length, expected);
  });

  it('accepts an HTTP upload, answers a bad one with RejectedInputError, and counts a repeated upload as duplicates', async () => {
    const h = harness({});
    await h.start();
    try {
      const bytes = readFileSync(ANNEX_C);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const file = { path: ANNEX_C, name: 'upload.n42', sha256, size: bytes.length };
      assert.deepEqual(await driverOf(h).acceptFile!(file), { observations: expected });
      assert.deepEqual(await driverOf(h).acceptFile!(file), { observations: 0, duplicates: expected });
      assert.ok(h.observations.every((o) => o.raw?.[0]?.key === `sha256/${sha256}` && o.raw[0].name === 'upload.n42'));
      const bad = join(tempDir('upload'), 'bad.n42');
      writeFileSync(bad, '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><RadInstrumentData/>');
      await assert.rejects(
        driverOf(h).acceptFile!({ path: bad, name: 'bad.n42', sha256, size: 80 }),
        (err: unknown) => err instanceof RejectedInputError && /^bad\.n42:1:\d+: DOCTYPE declarations are not accepted/.test(err.reason),
      );
    } finally {
      await h.stop();
    }
    assert.equal(h.observations.length, expected);
  });
});
