import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHub } from '../src/bootstrap.js';
import { loadConfigFile } from '../src/config/load-config.js';
import { openDatabase } from '../src/storage/database.js';
import { FIXTURES, VIRTUAL_PLUGIN, memoryLogger, waitFor } from './helpers/hub-config.js';

const CLI = join(__dirname, '..', 'src', 'cli', 'main.js');

function writeConfig(dir: string, devices: string): string {
  const file = join(dir, 'checkpoint.yaml');
  writeFileSync(
    file,
    `checkpoint: { id: LIFE-1 }\ndataDir: ${dir}\nhttp: { port: 0 }\nlogging: { level: silent }\nsupervisor: { heartbeatIntervalMs: 100, restartInitialDelayMs: 100 }\nlanes:\n  - id: L1\n    devices:\n${devices}`,
  );
  return file;
}

describe('hub lifecycle', function () {
  this.timeout(60000);

  it('reload restarts changed devices only, and an invalid file changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-reload-'));
    const a = '      - { id: A, plugin: virtual, config: { kind: telemetry, rate: 20 } }\n';
    const b = (rate: number) => `      - { id: B, plugin: virtual, config: { kind: weight, rate: ${rate} } }\n`;
    const file = writeConfig(dir, a + b(20));
    const { config, source } = loadConfigFile(file);
    const { hub } = await createHub(config, { source, logger: memoryLogger().logger, workspaceDir: null, pluginPaths: [VIRTUAL_PLUGIN] });
    await hub.start({ listen: false });
    try {
      await waitFor(() => hub.devices.status('A')?.state === 'online' && hub.devices.status('B')?.state === 'online', 5000, 'devices online');
      const sinceA = hub.devices.status('A')!.since;
      writeConfig(dir, a + b(5) + '      - { id: C, plugin: virtual, config: { kind: weight, rate: 20 } }\n');
      const dry = await hub.reload({ dryRun: true });
      assert.deepEqual([dry.diff.added, dry.diff.changed, dry.diff.unchanged, dry.applied], [['C'], ['B'], ['A'], false]);
      assert.equal(hub.devices.status('C'), undefined, 'a dry run changes nothing');
      const r = await hub.reload();
      assert.equal(r.applied, true);
      await waitFor(() => hub.devices.status('C')?.state === 'online', 5000, 'C online');
      assert.equal(hub.devices.status('A')!.since, sinceA, 'unchanged device kept running');
      assert.equal(hub.devices.status('B')!.restarts, 1, 'changed device restarted');
      assert.deepEqual(hub.cases.service.correlator.expected('L1'), ['A', 'B', 'C'], "cases wait for the lane's devices of the new file");
      writeFileSync(file, readFileSync(file, 'utf8').replace('rate: 5', 'rate: -1'));
      await assert.rejects(hub.reload(), /lanes\.0\.devices\.1\.config\.rate/);
      assert.equal(hub.devices.status('B')!.restarts, 1, 'invalid file restarted nothing');
      writeConfig(dir, b(5));
      await hub.reload();
      assert.equal(hub.devices.status('A'), undefined, 'removed device is gone');
      assert.deepEqual(hub.cases.service.correlator.expected('L1'), ['B'], 'nor for a device no longer there');
    } finally {
      await hub.stop();
    }
  });

  it('on SIGTERM stops drivers, commits pending writes and exits 0: nothing acknowledged is lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-sigterm-'));
    const ackFile = join(dir, 'acked.txt');
    const file = writeConfig(dir, `      - { id: W, plugin: acked-writer, config: { ackFile: "${ackFile}" } }\n`).toString();
    writeFileSync(file, readFileSync(file, 'utf8') + `plugins:\n  - package: ${join(FIXTURES, 'acked-writer.js')}\n`);
    const child = spawn(process.execPath, [CLI, 'start', '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await waitFor(() => existsSync(ackFile) && readFileSync(ackFile, 'utf8').split('\n').length > 2000, 30000, 'acknowledged writes');
    child.kill('SIGTERM');
    assert.equal(await exited, 0, `exit code (stderr: ${stderr})`);
    const acked = readFileSync(ackFile, 'utf8').split('\n').filter(Boolean);
    const db = await openDatabase(`sqlite:${join(dir, 'hub.db')}`);
    try {
      const stored = new Set((await db.knex('observations').select('id')).map((r) => r.id));
      const lost = acked.filter((id) => !stored.has(id));
      assert.deepEqual(lost, [], `${lost.length} of ${acked.length} acknowledged observations missing`);
      const statuses = await db.knex('device_status').where({ device_id: 'W' }).first();
      assert.equal(JSON.parse(statuses.body).state, 'stopped');
    } finally {
      await db.close();
    }
  });
});
