import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { connect, type NatsConnection } from 'nats';
import { DeclarationStore } from '../../src/declarations/declaration-store.js';
import { Downlink } from '../../src/national/downlink.js';
import { ensureCentralDownlink } from '../../src/national/downlink-streams.js';
import { EdgeFeed } from '../../src/national/edge-feed.js';
import { downSubject } from '../../src/national/nats-names.js';
import { NatsTopology } from '../../src/national/topology.js';
import { sleep, until } from './until.js';
import { createLogger } from '../../src/util/logger.js';

const CLUSTER = process.env.HUB_TEST_NATS_CLUSTER === '1';
const quiet = process.env.DEBUG_DOWNLINK ? createLogger('debug', process.stderr) : createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));
const declaration = (n: number) => ({ schema: 'declaration/v2', number: `DL-${n}`, goods: [{ hsCode: '690722' }], transport: { plates: [`A${100 + n}BC`] } });

describe('national network: the centre sends a checkpoint its declarations', function () {
  this.timeout(120_000);
  if (!CLUSTER) {
    it('runs with HUB_TEST_NATS_CLUSTER=1 (skipped: it starts its own nats-server cluster and leaf nodes)');
    return;
  }
  let dir: string;
  let topo: NatsTopology;
  let central: NatsConnection;
  let edge: EdgeFeed;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hub-downlink-'));
    topo = await NatsTopology.start({ dir, checkpoints: ['CP-D'] });
    central = await connect({ servers: topo.centralUrls });
    await ensureCentralDownlink(await central.jetstreamManager());
    edge = await new EdgeFeed('CP-D', dir, topo.leafUrl('CP-D')).open();
  });
  after(async () => {
    await central?.close().catch(() => undefined);
    await edge?.close().catch(() => undefined);
    await topo?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies each declaration once and in order, from the local copy while the uplink is down, and again none after a restart', async () => {
    const declarations = new DeclarationStore(edge.db, edge.writer, 'CP-D');
    const applied: string[] = [];
    const downlink = () => new Downlink({
      servers: [topo.leafUrl('CP-D')], checkpoint: 'CP-D', db: edge.db, logger: quiet,
      handlers: { declaration: async (body, apply) => { const r = await declarations.submit(body, new Date(), apply); applied.push(r.declaration.number); } },
    });
    const js = central.jetstream();
    const send = async (subject: string, body: unknown) => { await js.publish(subject, new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body))); };

    for (let i = 1; i <= 5; i++) await send(downSubject('CP-D', 'declaration'), declaration(i));
    await send(downSubject('CP-D', 'declaration'), '{ not json');
    await send(downSubject('CP-D', 'declaration'), { schema: 'declaration/v2' });
    await send(downSubject('CP-D', 'watchlist'), { entries: [] });
    await send(downSubject('CP-OTHER', 'declaration'), declaration(99));
    let d = downlink();
    await d.start();
    await until('five declarations applied', 30_000, () => applied.length === 5);
    await send(downSubject('CP-D', 'declaration'), declaration(6));
    await until('the sixth', 30_000, () => applied.length === 6);
    assert.equal(d.refusedCount, 3, 'bad JSON, an invalid declaration and an unknown type are refused, not blocking');

    // The uplink goes down: what had arrived keeps working locally; what the centre sends meanwhile waits.
    await topo.cutLeaf('CP-D');
    await send(downSubject('CP-D', 'declaration'), declaration(7));
    await sleep(1500);
    assert.equal(applied.length, 6);
    assert.ok(await declarations.get('DL-6'), 'the local copy is there while the link is down');
    await d.stop();
    await topo.restoreLeaf('CP-D');
    d = downlink();
    await d.start();
    await until('the seventh after the link came back', 60_000, () => applied.length === 7);
    await sleep(1000);
    await d.stop();
    assert.deepEqual(applied, ['DL-1', 'DL-2', 'DL-3', 'DL-4', 'DL-5', 'DL-6', 'DL-7'], 'each once, in order, none of another checkpoint');
    const stored = await edge.db.knex('declarations').where({ checkpoint: 'CP-D' }).count({ n: '*' }).first();
    assert.equal(Number(stored?.n), 7);
  });
});
