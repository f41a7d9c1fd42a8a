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
import { AuditLog } from '../../src/audit/audit-log.js';
import { sendDown } from '../../src/national/send-down.js';
import { downlinkHandlers } from '../../src/national/start-downlink.js';
import { serializeArtefact, type RiskModelArtefact } from '../../src/risk-model/artefact.js';
import { DeclarationRiskService } from '../../src/risk-model/risk-service.js';
import { CentralWatchlistStore } from '../../src/watchlists/central-watchlists.js';

const CLUSTER = process.env.HUB_TEST_NATS_CLUSTER === '1';
const quiet = process.env.DEBUG_DOWNLINK ? createLogger('debug', process.stderr) : createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));
const declaration = (n: number) => ({ schema: 'declaration/v2', number: `DL-${n}`, goods: [{ hsCode: '690722' }], transport: { plates: [`A${100 + n}BC`] } });

describe('national network: the centre sends a checkpoint its declarations, watchlists and models', function () {
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
    const downlink = () =>
      new Downlink({
        servers: [topo.leafUrl('CP-D')],
        checkpoint: 'CP-D',
        db: edge.db,
        logger: quiet,
        handlers: {
          declaration: async (body, apply) => {
            const r = await declarations.submit(body, new Date(), apply);
            applied.push(r.declaration.number);
          },
        },
      });
    const js = central.jetstream();
    const send = async (subject: string, body: unknown) => {
      await js.publish(subject, new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body)));
    };

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

  it('applies watchlists and a released model sent with `national send`, in order with declarations, once', async () => {
    const deps = {
      db: edge.db,
      declarations: new DeclarationStore(edge.db, edge.writer, 'CP-D'),
      audit: new AuditLog(edge.db, edge.writer, 'CP-D'),
      risk: new DeclarationRiskService(edge.db, 'CP-D', quiet),
      watchlists: new CentralWatchlistStore(edge.db, 'CP-D'),
    };
    const d = new Downlink({
      servers: [topo.leafUrl('CP-D')],
      checkpoint: 'CP-D',
      db: edge.db,
      logger: quiet,
      handlers: downlinkHandlers('CP-D', deps, 'live'),
    });
    const before = d.appliedCount;
    const model = { kind: 'declaration-risk-model', ...(({ text, sha256 }) => ({ artefact: text, sha256 }))(serializeArtefact(tinyArtefact())) };
    await sendDown(central, ['CP-D'], 'watchlist', [JSON.stringify({ version: 1, lists: { consignees: ['Romashka'] } })]);
    await sendDown(central, ['CP-D'], 'model', [JSON.stringify(model)]);
    await sendDown(central, ['CP-D'], 'watchlist', [JSON.stringify({ version: 2, lists: { consignees: ['Romashka', 'Globex'] } })]);
    const again = await sendDown(central, ['CP-D'], 'watchlist', [JSON.stringify({ version: 2, lists: { consignees: ['Romashka', 'Globex'] } })]);
    assert.equal(again[0]!.duplicates, 1, 'the same message sent twice is stored once');
    await d.start();
    try {
      await until('two watchlists and the model applied', 60_000, () => d.appliedCount - before === 3);
      assert.equal(deps.watchlists.lists?.version, 2);
      assert.equal(deps.risk.models.live?.sha256, model.sha256);
      assert.deepEqual(
        (await deps.audit.list({ limit: 100 }))
          .filter((e) => e.actor.subject === 'central')
          .map((e) => e.action)
          .filter((a) => a !== 'declaration.received'),
        ['watchlist.received', 'model.received', 'model.promoted', 'watchlist.received'],
      );
    } finally {
      await d.stop();
    }
  });
});

/** A structurally complete model artefact: this test moves models, it does not score with them. */
function tinyArtefact(): RiskModelArtefact {
  const ref = { edges: [0, 1], shares: [0.5, 0.5] };
  return {
    kind: 'declaration-risk',
    format: 1,
    features: ['importer.rate'],
    smoothing: 1,
    params: {} as never,
    gbdt: { trees: [] } as never,
    window: { from: '2020-01-01', until: '2020-12-31', rows: 100, violations: 10 },
    holdout: { from: '2021-01-01', until: '2021-03-31', metrics: {} as never, trainRows: 100 },
    trainingSeconds: 1,
    reference: { score: ref, features: { 'importer.rate': ref } },
  };
}
