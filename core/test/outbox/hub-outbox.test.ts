import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { createHub } from '../../src/bootstrap.js';
import { parseConfig } from '../../src/config/load-config.js';
import type { Hub } from '../../src/hub.js';
import { writeEvents, writeObservations } from '../api/api-fixture.js';
import { deleteStream, natsUrl, readStream, uniqueStream } from './jetstream.js';
import { TcpProxy } from './tcp-proxy.js';
import { waitFor } from './wait.js';

describe('hub with broker delivery', function () {
  this.timeout(60_000);
  let url: string;
  let nc: NatsConnection;
  let proxy: TcpProxy;
  const stream = uniqueStream('HUBRUN');
  const dir = mkdtempSync(join(tmpdir(), 'hub-run-'));

  before(async function () {
    url = natsUrl(this);
    nc = await connect({ servers: url });
    proxy = TcpProxy.forUrl(url);
    await proxy.start();
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    if (!url) return;
    await deleteStream(url, stream);
    await nc.close();
    await proxy.stop();
  });

  async function startHub(): Promise<Hub> {
    const yaml =
      `checkpoint: { id: CP1 }\ndataDir: ${dir}\nhttp: { port: 0 }\nlogging: { level: silent }\n` +
      `outbox:\n  nats: { servers: "${proxy.url}", stream: ${stream}, subjectPrefix: ${stream.toLowerCase()} }\n  backoff: { initialMs: 50, maxMs: 300 }\n  ackTimeoutMs: 1000\n  checkIntervalMs: 100\n`;
    const { hub } = await createHub(parseConfig(yaml, join(dir, 'hub.yaml'), {}).config, { workspaceDir: null });
    await hub.start({ listen: false });
    return hub;
  }

  it('delivers across a hub restart and a broker outage mid-stream: each event once, in order', async () => {
    let hub = await startHub();
    assert.ok(hub.delivery, 'outbox started from the config');
    await writeObservations(hub.writer, 2000);
    await waitFor(() => hub.delivery!.outbox.status().ackedSeq > 100, 10_000, 'delivery under way');
    await hub.stop();
    hub = await startHub();
    await waitFor(() => hub.delivery!.outbox.status().ackedSeq > 0, 10_000, 'delivery resumed');
    await proxy.cut();
    await writeEvents(hub.writer, 300);
    await writeObservations(hub.writer, 300);
    await new Promise((r) => setTimeout(r, 300));
    await proxy.restore();
    await waitFor(() => hub.delivery!.outbox.backlog() === 0, 30_000, 'backlog drained');
    const head = hub.writer.sequence;
    const status = hub.delivery!.outbox.status();
    await hub.stop();
    const stored = await readStream(nc, stream);
    assert.equal(status.ackedSeq, head);
    assert.deepEqual(
      stored.map((s) => s.feedSeq),
      Array.from({ length: head }, (_, i) => i + 1),
    );
    assert.equal(new Set(stored.map((s) => s.id)).size, head);
  });
});
