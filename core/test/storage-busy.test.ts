import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Observation } from '@customs-hub/sdk';
import { newId } from '../src/pipeline/ids.js';
import { openDatabase, type Database } from '../src/storage/database.js';
import { GroupCommitWriter } from '../src/storage/group-commit-writer.js';
import { describeStorageError } from '../src/storage/storage-error.js';

const CLI = join(__dirname, '..', 'src', 'cli', 'main.js');

function observation(n: number): Observation {
  return {
    schema: 'observation/v1',
    id: newId(),
    seq: 0,
    checkpoint: 'CP',
    lane: 'L1',
    deviceId: 'D1',
    plugin: { name: 'p', version: '1.0.0' },
    kind: 'weight',
    deviceTime: new Date().toISOString(),
    receivedAt: new Date().toISOString(),
    conveyance: { containers: [], plates: [] },
    alarms: [],
    quality: { status: 'good' },
    payload: { grossKg: 1000 + n, stable: true },
    sourceId: `ticket-${n}`,
  };
}

describe('a busy SQLite database (a CLI command writing beside the running hub)', function () {
  this.timeout(120000);
  let dir: string;
  let hubDb: Database;
  let cliDb: Database;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hub-busy-'));
    hubDb = await openDatabase(`sqlite:${join(dir, 'hub.db')}`);
    cliDb = await openDatabase(`sqlite:${join(dir, 'hub.db')}`);
  });
  after(async () => {
    await hubDb.close();
    await cliDb.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails no write while `customs-hub tokens create` and `revoke` run beside it', async () => {
    const writer = new GroupCommitWriter(hubDb, 'CP', { maxRows: 200, maxDelayMs: 0, queueLimit: 100000 });
    await writer.init();
    const config = join(dir, 'hub.yaml');
    writeFileSync(config, `checkpoint: { id: CP }\ndataDir: ${dir}\nstorage: { url: "sqlite:${join(dir, 'hub.db')}" }\nlanes: []\n`);
    const run = (...args: string[]) =>
      new Promise<string>((resolve, reject) => {
        execFile(process.execPath, [CLI, 'tokens', ...args, '--config', config], (err, stdout, stderr) => (err ? reject(new Error(stderr)) : resolve(stdout)));
      });
    let stop = false;
    // The real command line, as an operator runs it next to the hub: its own process and connection, migrations included.
    const cli = (async () => {
      try {
        for (let i = 0; i < 2; i++) {
          await run('create', '--name', `cli-${i}`, '--scope', 'feed:read');
          const id = (
            await cliDb
              .knex('api_tokens')
              .where({ name: `cli-${i}` })
              .first()
          ).id as string;
          await run('revoke', id);
        }
      } finally {
        stop = true;
      }
    })();
    const outcomes: Array<'ok' | string> = [];
    let n = 0;
    while (!stop) {
      const burst = Array.from({ length: 200 }, () =>
        writer.write({ type: 'observation', observation: observation(n++) }).then(
          () => 'ok',
          (e: Error) => e.message,
        ),
      );
      outcomes.push(...(await Promise.all(burst)));
    }
    await cli;
    await writer.close();
    const failed = outcomes.filter((o) => o !== 'ok');
    assert.deepEqual(failed.slice(0, 3), [], `${failed.length} of ${outcomes.length} writes failed`);
    assert.equal(writer.stats.failures, 0);
    const stored = await hubDb.knex('observations').count({ n: '*' }).first();
    assert.equal(Number(stored!.n), outcomes.length);
  });

  it('reports a failed write without the SQL or the rows it carried', async () => {
    const sqlError = Object.assign(new Error('insert into `observations` (`body`) values (\'{"payload":{"secret":1}}\') - SQLITE_IOERR: disk I/O error'), {
      code: 'SQLITE_IOERR',
    });
    const failing = {
      dialect: 'sqlite',
      knex: {
        transaction: async () => {
          throw sqlError;
        },
      },
    } as unknown as Database;
    const writer = new GroupCommitWriter(failing, 'CP', { maxRows: 10, maxDelayMs: 0, queueLimit: 10 });
    const err = await writer.write({ type: 'observation', observation: observation(1) }).then(
      () => null,
      (e: Error & { code?: string }) => e,
    );
    assert.ok(err);
    assert.equal(err.message, 'storage write failed: SQLITE_IOERR: disk I/O error');
    assert.equal(err.code, 'STORAGE_WRITE_FAILED');
    assert.equal(describeStorageError(new Error('select * from x where secret = 1')), 'Error');
  });
});
