import assert from 'node:assert/strict';
import { createHub } from '../../src/bootstrap.js';
import { TokenStore } from '../../src/auth/token-store.js';
import type { Hub } from '../../src/hub.js';
import { memoryLogger, testConfig, VIRTUAL_PLUGIN, waitFor } from '../helpers/hub-config.js';
import { watchlistScorer } from '../e2e/watchlist-scorer.js';
import { sample } from './prom-text.js';

describe('GET /metrics', function () {
  this.timeout(30000);
  let hub: Hub;
  let tokens: TokenStore;

  before(async () => {
    const config = testConfig(`checkpoint: { id: MET-1 }
lanes:
  - id: L1
    devices:
      - { id: W1, plugin: virtual, isolation: in-process, config: { kind: weight, rate: 50 } }
      - { id: T1, plugin: virtual, isolation: in-process, config: { kind: telemetry, rate: 50 } }
`);
    ({ hub } = await createHub(config, { logger: memoryLogger().logger, workspaceDir: null, pluginPaths: [VIRTUAL_PLUGIN], scorers: [watchlistScorer] }));
    await hub.start({ listen: false });
    tokens = new TokenStore(hub.db);
    await waitFor(() => (hub.devices.status('W1')?.counters?.accepted ?? 0) >= 5, 10000, 'W1 readings');
  });
  after(() => hub.stop());

  const scrape = async (scopes: string[] | null) => {
    const headers: Record<string, string> = {};
    if (scopes) headers.authorization = `Bearer ${(await tokens.create(`m-${scopes.join('-')}`, scopes as any)).token}`;
    return hub.http.inject({ url: '/metrics', headers });
  };

  it('answers only a token with metrics:read or admin', async () => {
    assert.equal((await scrape(null)).statusCode, 401);
    assert.equal((await scrape(['feed:read'])).statusCode, 403);
    assert.equal((await scrape(['metrics:read'])).statusCode, 200);
    assert.equal((await scrape(['admin'])).statusCode, 200);
  });

  it('counts accepted observations per device and kind, with stage latencies', async () => {
    const res = await scrape(['metrics:read']);
    assert.match(res.headers['content-type'] as string, /^text\/plain; version=0\.0\.4/);
    const text = res.payload;
    const counted = sample(text, 'customs_hub_observations_total', { device: 'W1', kind: 'weight', outcome: 'accepted' });
    assert.ok(counted !== undefined && counted >= 5, `W1 weight accepted: ${counted}`);
    // The counter agrees with the pipeline's own count (it may have moved on since the scrape).
    assert.ok(counted <= hub.devices.status('W1')!.counters!.accepted!);
    assert.equal(sample(text, 'customs_hub_observations_total', { device: 'W1', kind: 'telemetry' }), undefined, 'no series for a kind W1 never sent');
    for (const stage of ['accept', 'validate', 'store']) {
      const n = sample(text, 'customs_hub_pipeline_stage_seconds_count', { stage });
      assert.ok(n !== undefined && n >= counted, `${stage} stage observed ${n} times`);
    }
    assert.equal(sample(text, 'customs_hub_device_status', { device: 'W1', state: 'online' }), 1);
    assert.equal(sample(text, 'customs_hub_device_status', { device: 'W1', state: 'faulted' }), 0);
    assert.equal(sample(text, 'customs_hub_plugin_restarts_total', { device: 'T1' }), 0);
    assert.ok(sample(text, 'customs_hub_feed_sequence', { checkpoint: 'MET-1' })! >= counted);
    assert.ok(sample(text, 'customs_hub_process_resident_memory_bytes')! > 0, 'process metrics present');
  });

  it('counts rejected observations and reports outbox backlogs and scorer durations from their hooks', async () => {
    const source = { deviceId: 'W1', lane: 'L1', plugin: { name: 'virtual', version: '1.0.0' }, kinds: ['weight'] as const };
    await assert.rejects(hub.devices.emit(source as any, { kind: 'weight', payload: { grossKg: 'heavy', stable: true } } as any), /grossKg/);
    await assert.rejects(hub.devices.emit(source as any, { kind: 'telemetry', payload: { values: {} } } as any), /not among the kinds/);
    hub.metrics.addBacklogSource('central', () => ({ central: 42 }));
    hub.metrics.scorer('radiation', 0.012);
    hub.metrics.scorer('radiation', 0.3, 'error');
    const text = (await scrape(['admin'])).payload;
    assert.equal(sample(text, 'customs_hub_observations_total', { device: 'W1', kind: 'weight', outcome: 'rejected' }), 1);
    assert.equal(sample(text, 'customs_hub_observations_total', { device: 'W1', kind: 'telemetry', outcome: 'rejected' }), 1);
    assert.equal(sample(text, 'customs_hub_feed_backlog', { outbox: 'central' }), 42);
    assert.equal(sample(text, 'customs_hub_scorer_duration_seconds_count', { scorer: 'radiation', outcome: 'ok' }), 1);
    assert.equal(sample(text, 'customs_hub_scorer_duration_seconds_bucket', { scorer: 'radiation', outcome: 'error', le: '0.25' }), 0);
    assert.equal(sample(text, 'customs_hub_scorer_duration_seconds_bucket', { scorer: 'radiation', outcome: 'error', le: '0.5' }), 1);
  });

  it('times every scorer run of the scoring stage', async () => {
    const c = {
      schema: 'inspection-case/v1',
      id: 'c1',
      checkpoint: 'MET-1',
      lane: 'L1',
      state: 'closed',
      openedAt: new Date().toISOString(),
      observationIds: [],
    } as any;
    await hub.cases.stage.score({ case: c, observations: [], declaration: null });
    await hub.cases.stage.score({ case: c, observations: [], declaration: null });
    const text = (await scrape(['metrics:read'])).payload;
    assert.equal(sample(text, 'customs_hub_scorer_duration_seconds_count', { scorer: 'e2e-watchlist', outcome: 'ok' }), 2);
  });
});
