import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryCursor } from '../src/history-cursor.js';
import { SeenStore } from '../src/seen-store.js';

const t = (s: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, s));

describe('xray-opcua: history cursor and the record of handed-over scans', () => {
  it('never moves past a scan still waiting, and keeps its place across a restart', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'xray-cursor-')), 'history-cursor.json');
    const c = new HistoryCursor(file);
    assert.equal(await c.load(), null);
    assert.equal(c.value, null);
    c.hold('a', t(1));
    c.hold('b', t(2));
    c.hold('c', t(3));
    await c.release('c', t(3)); // taken out of order: a and b still wait
    assert.deepEqual(c.value, t(1));
    await c.release('a', t(1));
    assert.deepEqual(c.value, t(2));
    await c.release('b', t(2));
    assert.deepEqual(c.value, t(3));
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { sourceTime: t(3).toISOString() });
    const again = new HistoryCursor(file);
    await again.load();
    assert.deepEqual(again.value, t(3));
    writeFileSync(file, 'nonsense');
    assert.match((await new HistoryCursor(file).load())!, /holds no history cursor; moved to .+\.damaged$/);
    assert.ok(existsSync(`${file}.damaged`));
  });

  it('keys handed-over scans on (id, time), reads older files of bare ids, and forgets the oldest beyond its limit', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'xray-seen-')), 'seen-scans.json');
    writeFileSync(file, JSON.stringify(['OLD-1']));
    const seen = new SeenStore(file, 3);
    await seen.load();
    assert.equal(seen.has('OLD-1', t(9).toISOString()), true, 'a bare id matches any time');
    await seen.add('S-1', t(1).toISOString());
    assert.equal(seen.has('S-1', t(1).toISOString()), true);
    assert.equal(seen.has('S-1', t(5).toISOString()), false);
    assert.deepEqual(seen.otherTimes('S-1', t(5).toISOString()), [t(1).toISOString()]);
    await seen.add('S-1', t(5).toISOString());
    await seen.add('S-2', t(6).toISOString());
    assert.equal(seen.hasId('OLD-1'), false, 'the oldest forgotten beyond 3');
    const reread = new SeenStore(file, 3);
    await reread.load();
    assert.deepEqual([reread.has('S-1', t(1).toISOString()), reread.has('S-1', t(5).toISOString()), reread.has('S-2', t(6).toISOString())], [true, true, true]);
  });
});
