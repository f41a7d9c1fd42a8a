import assert from 'node:assert/strict';
import Hapi from '@hapi/hapi';
import Boom from '@hapi/boom';
import { HubMetrics } from '../../src/metrics/hub-metrics.js';
import { registerRequestLog } from '../../src/metrics/request-log.js';
import { memoryLogger } from '../helpers/hub-config.js';
import { sample } from './prom-text.js';

describe('request log', () => {
  async function server() {
    const { logger, lines } = memoryLogger();
    const metrics = new HubMetrics(
      'CP1',
      { devices: () => [], writer: () => ({ sequence: 0, pending: 0, transactions: 0, rows: 0, failures: 0 }) },
      { processMetrics: false },
    );
    const s = Hapi.server();
    s.auth.scheme('fake', () => ({ authenticate: (_r, h) => h.authenticated({ credentials: { name: 'officer-7' } }) }));
    s.auth.strategy('fake', 'fake');
    s.auth.default('fake');
    s.route({ method: 'POST', path: '/api/v1/cases/{id}/outcome', handler: () => ({ ok: true }) });
    s.route({ method: 'GET', path: '/api/v1/cases/{id}', handler: () => ({ ok: true }) });
    s.route({
      method: 'GET',
      path: '/api/v1/broken',
      handler: () => {
        throw new Error('db gone');
      },
    });
    s.route({
      method: 'POST',
      path: '/api/v1/refused',
      handler: () => {
        throw Boom.conflict('no');
      },
    });
    registerRequestLog(s, logger, metrics);
    await s.initialize();
    return { s, lines, metrics };
  }
  const settle = () => new Promise((r) => setImmediate(r));

  it('logs who changed which case, never the query string or headers', async () => {
    const { s, lines } = await server();
    await s.inject({
      method: 'POST',
      url: '/api/v1/cases/01ABC/outcome?access_token=chub_secret',
      headers: { authorization: 'Bearer chub_secret2' },
      payload: { violation: true },
    });
    await settle();
    const line = lines.find((l) => l.msg === 'request')!;
    assert.deepEqual(
      [line.method, line.route, line.status, line.caller, line.case, line.component],
      ['POST', '/api/v1/cases/{id}/outcome', 200, 'officer-7', '01ABC', 'http'],
    );
    assert.ok(!JSON.stringify(lines).includes('chub_secret'), 'no token in any log line');
  });

  it('logs reads only at debug, failures as errors, refusals as info', async () => {
    const { s, lines } = await server();
    await s.inject('/api/v1/cases/01ABC');
    await s.inject('/api/v1/broken');
    await s.inject({ method: 'POST', url: '/api/v1/refused' });
    await settle();
    assert.equal(lines.filter((l) => l.route === '/api/v1/cases/{id}').length, 0, 'a GET is not logged at info');
    const failed = lines.find((l) => l.msg === 'request failed')!;
    assert.deepEqual([failed.level, failed.status], [50, 500]);
    assert.equal(lines.find((l) => l.msg === 'request refused')!.status, 409);
  });

  it('counts requests by route pattern and status', async () => {
    const { s, metrics } = await server();
    await s.inject('/api/v1/cases/A');
    await s.inject('/api/v1/cases/B');
    await s.inject('/api/v1/broken');
    await settle();
    const text = await metrics.metrics();
    assert.equal(sample(text, 'customs_hub_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/cases/{id}', status: '200' }), 2);
    assert.equal(sample(text, 'customs_hub_http_request_duration_seconds_count', { route: '/api/v1/broken', status: '500' }), 1);
  });
});
