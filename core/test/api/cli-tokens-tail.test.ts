import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createHub } from '../../src/bootstrap.js';
import { loadConfigFile } from '../../src/config/load-config.js';
import type { Hub } from '../../src/hub.js';
import { writeEvents, writeObservations } from './api-fixture.js';

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.js');

describe('CLI: tokens and tail', function () {
  // Each step starts a CLI process (a second or more on a busy 2-core machine).
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'hub-cli-'));
  const file = join(dir, 'hub.yaml');
  let hub: Hub;
  writeFileSync(file, `checkpoint: { id: CP1 }\ndataDir: ${dir}\nhttp: { host: 127.0.0.1, port: 0 }\nlogging: { level: silent }\n`);

  before(async () => {
    hub = (await createHub(loadConfigFile(file).config, { workspaceDir: null })).hub;
    await hub.start();
    await writeObservations(hub.writer, 5);
    await writeEvents(hub.writer, 2);
  });
  after(async () => {
    await hub.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a token printed once, lists it without the secret, and tail follows the feed with it until revoked', async () => {
    const created = await run(process.execPath, [CLI, 'tokens', 'create', '--name', 'central', '--scope', 'feed:read', '-c', file]);
    // Take the token line: other modules may print warnings at start-up.
    const token = /^chub_\S+$/m.exec(created.stdout)?.[0] ?? '';
    assert.match(token, /^chub_/);
    const id = /created token (\S+) 'central'/.exec(created.stderr)![1]!;
    const list = await run(process.execPath, [CLI, 'tokens', 'list', '-c', file]);
    assert.match(list.stdout, new RegExp(`${id}\\s+central\\s+feed:read`));
    assert.ok(!list.stdout.includes(token.slice(5)));

    const env = { ...process.env, CUSTOMS_HUB_TOKEN: token };
    const tail = await run(process.execPath, [CLI, 'tail', '--url', hub.http.info.uri, '--after', '2', '--no-follow'], { env });
    const events = tail.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      events.map((e) => e.seq),
      Array.from({ length: hub.writer.sequence - 2 }, (_, i) => i + 3),
    );
    assert.equal(events[0].type, 'customs.observation.v1');
    assert.ok(events.some((e) => e.type === 'customs.device.status.v1'));

    await run(process.execPath, [CLI, 'tokens', 'revoke', id, '-c', file]);
    await new Promise((r) => setTimeout(r, 5100)); // the running hub caches a verified token for 5 s
    await assert.rejects(run(process.execPath, [CLI, 'tail', '--url', hub.http.info.uri, '--no-follow'], { env }), (err: { stderr: string }) =>
      /401/.test(err.stderr),
    );
  });

  it('refuses unknown scopes and a token on the command line', async () => {
    await assert.rejects(run(process.execPath, [CLI, 'tokens', 'create', '--name', 'x', '--scope', 'feed:read,root', '-c', file]), (err: { stderr: string }) =>
      /unknown scope\(s\): root/.test(err.stderr),
    );
    const env = { ...process.env, CUSTOMS_HUB_TOKEN: '' };
    await assert.rejects(run(process.execPath, [CLI, 'tail', '--url', hub.http.info.uri], { env }), (err: { stderr: string }) =>
      /CUSTOMS_HUB_TOKEN/.test(err.stderr),
    );
  });
});
