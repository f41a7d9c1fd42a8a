// One hub ingesting from many simulated portal monitors at their native rate (5 gamma samples/s each).
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createHub, createLogger, openDatabase, parseConfig } from '@customs-hub/core';

const PORTALS = Number(process.env.BENCH_PORTALS ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const PER_WORKER = Number(process.env.BENCH_PORTALS_PER_WORKER ?? 50);
const BASE_PORT = Number(process.env.BENCH_BASE_PORT ?? 31000);

function ask<T>(child: ChildProcess, t: string, reply: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { t: string }) => {
      if (m.t === reply) {
        child.off('message', on);
        resolve(m as T);
      }
    };
    child.on('message', on);
    if (t) child.send({ t });
  });
}

function configYaml(dir: string): string {
  const devices = Array.from(
    { length: PORTALS },
    (_, i) =>
      `      - { id: RPM-${i}, plugin: rpm, group: rpm-${Math.floor(i / PER_WORKER)}, config: { transport: ascii, host: 127.0.0.1, port: ${BASE_PORT + i}, statsIntervalS: 3600 } }`,
  ).join('\n');
  return `checkpoint: { id: FANIN }\ndataDir: ${dir}\nhttp: { port: 0 }\nlogging: { level: silent }\nsupervisor: { memoryLimitMb: 512 }\nlanes:\n  - id: L1\n    devices:\n${devices}\n`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hub-fanin-'));
  const fleet = fork(join(__dirname, 'rpm-fleet.js'), [String(BASE_PORT), String(PORTALS), '7'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    await ask(fleet, '', 'ready');
    process.stdout.write(`bench:rpm-fanin — ${PORTALS} portals (ASCII over TCP, ${PER_WORKER} per worker thread), ${SECONDS} s measured\n`);
    const config = parseConfig(configYaml(dir), join(dir, 'fanin.yaml'), {}).config;
    const logger = createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));
    const { hub } = await createHub(config, { logger });
    await hub.start({ listen: false });
    const deadline = Date.now() + 60_000;
    while (hub.devices.all.filter((s) => s.state === 'online').length < PORTALS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const online = hub.devices.all.filter((s) => s.state === 'online').length;
    process.stdout.write(`${online}/${PORTALS} portals online; warming up 5 s\n`);
    await new Promise((r) => setTimeout(r, 5000));
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const cpu = process.cpuUsage(cpu0);
    const wall = Number(process.hrtime.bigint() - t0) / 1000;
    const pct = ((cpu.user + cpu.system) / wall) * 100;
    const { samplesSent } = await ask<{ samplesSent: number }>(fleet, 'stop', 'stopped');
    await new Promise((r) => setTimeout(r, 1500));
    await hub.stop();
    const db = await openDatabase(config.storage.url);
    const rows = await db.knex('observations').where({ kind: 'telemetry' }).orderBy('seq').select('device_id', 'body');
    await db.close();
    const received = new Map<string, number>();
    for (const r of rows) received.set(r.device_id, JSON.parse(r.body).payload.values.samplesReceived.value);
    const samplesReceived = [...received.values()].reduce((a, b) => a + b, 0);
    process.stdout.write(`samples sent ${samplesSent}, received ${samplesReceived} (from ${received.size} link reports)\n`);
    process.stdout.write(`rpm fan-in: ${online} portals, hub cpu ${pct.toFixed(1)}% of one core, lost samples ${Math.max(0, samplesSent - samplesReceived)}\n`);
  } finally {
    fleet.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`bench:rpm-fanin failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
