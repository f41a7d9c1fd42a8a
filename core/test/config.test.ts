import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ConfigError } from '../src/config/config-error.js';
import { parseConfig } from '../src/config/load-config.js';
import { diffConfig } from '../src/config/diff-config.js';
import { loadPlugins } from '../src/bootstrap.js';
import { VIRTUAL_PLUGIN } from './helpers/hub-config.js';

const BASE = `checkpoint: { id: CP-1 }
lanes:
  - id: L1
    devices:
      - id: D1
        plugin: virtual
        config: { kind: weight, rate: 1 }
`;

function problems(fn: () => unknown): ConfigError['problems'] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  assert.fail('expected a ConfigError');
}

describe('checkpoint config', () => {
  it('parses a valid file with defaults, paths relative to the file', () => {
    const { config } = parseConfig(BASE, '/etc/hub/cp.yaml', {});
    assert.equal(config.checkpoint.id, 'CP-1');
    assert.equal(config.dataDir, '/etc/hub/data');
    assert.equal(config.storage.url, 'sqlite:/etc/hub/data/hub.db');
    assert.deepEqual(
      config.devices.map((d) => [d.id, d.lane, d.isolation, d.group, d.origin]),
      [['D1', 'L1', 'worker', 'D1', '/etc/hub/cp.yaml:5']],
    );
  });

  it('names file, line and key of an unknown key', () => {
    const p = problems(() => parseConfig(`${BASE}    speling: 3\n`, 'cp.yaml', {}));
    assert.deepEqual(p, [{ file: 'cp.yaml', line: 8, key: 'lanes.0.speling', message: 'unknown key' }]);
  });

  it('names the line of a wrong value type', () => {
    const p = problems(() => parseConfig(BASE.replace('id: L1', 'id: "lane one!"'), 'cp.yaml', {}));
    assert.equal(p[0]!.line, 3);
    assert.equal(p[0]!.key, 'lanes.0.id');
    assert.match(p[0]!.message, /must match pattern/);
  });

  it('reports YAML syntax errors with their line', () => {
    const p = problems(() => parseConfig('checkpoint: { id: X\nlanes: []\n', 'bad.yaml', {}));
    assert.equal(p[0]!.file, 'bad.yaml');
    assert.match(p[0]!.message, /^YAML syntax/);
    assert.ok(p[0]!.line !== null && p[0]!.line >= 1);
  });

  it('rejects duplicate device ids, naming both places', () => {
    const text = `${BASE}      - id: D1\n        plugin: virtual\n`;
    const p = problems(() => parseConfig(text, 'cp.yaml', {}));
    assert.equal(p[0]!.line, 8);
    assert.match(p[0]!.message, /device id 'D1' is already used at cp\.yaml:5/);
  });

  it('refuses a twin lane that does not exist and a simulator playing an unknown device, naming line and key', () => {
    const text = `${BASE}simulators:\n  - { plugin: virtual, simulator: none, device: D9 }\ntwin: { lanes: [L1, L7] }\n`;
    const p = problems(() => parseConfig(text, 'cp.yaml', {}));
    assert.deepEqual(
      p.map((x) => [x.key, x.line, x.message]),
      [
        ['twin.lanes.1', 10, "no lane 'L7' (lanes: L1)"],
        ['simulators.0.device', 9, "no device 'D9' to play"],
      ],
    );
    const ok = parseConfig(`${BASE}twin: { lanes: [L1], intervalS: 30 }\n`, 'cp.yaml', {}).config.twin!;
    assert.deepEqual([ok.lanes, ok.intervalS, ok.preArrivalS, ok.pace], [['L1'], 30, 60, 1]);
  });

  it('takes secrets and URLs from the environment', () => {
    const text = `${BASE.replace('rate: 1', 'rate: 1, token: "${SCALE_TOKEN}"')}`;
    const { config } = parseConfig(text, 'cp.yaml', { SCALE_TOKEN: 's3cret', HUB_STORAGE_URL: 'postgres://hub@db/hub', HUB_HTTP_PORT: '9000' });
    assert.equal(config.devices[0]!.config.token, 's3cret');
    assert.equal(config.storage.url, 'postgres://hub@db/hub');
    assert.equal(config.http.port, 9000);
    const p = problems(() => parseConfig(text, 'cp.yaml', {}));
    assert.deepEqual(p[0], { file: 'cp.yaml', line: 7, key: 'lanes.0.devices.0.config.token', message: 'environment variable SCALE_TOKEN is not set' });
  });

  it("checks each device's config against its plugin's schema, with the line", () => {
    const { config, source } = parseConfig(BASE.replace('kind: weight', 'kind: laser'), 'cp.yaml', {});
    const p = problems(() => loadPlugins(config, { workspaceDir: null, pluginPaths: [VIRTUAL_PLUGIN], source }));
    assert.equal(p.length, 1);
    assert.equal(p[0]!.line, 7);
    assert.equal(p[0]!.key, 'lanes.0.devices.0.config.kind');
    assert.match(p[0]!.message, /device D1: must be equal to one of the allowed values \(telemetry, /);
  });

  it('parses each section once into typed values, with defaults and paths relative to the file', () => {
    const text = `${BASE}api: { tls: { cert: tls/hub.pem, key: /abs/key.pem }, rateLimit: { burst: 9 } }\noutbox: { nats: { servers: nats://n:4222 }, buffer: { maxAgeHours: 1 } }\n`;
    const { config } = parseConfig(text, '/etc/hub/cp.yaml', {});
    assert.deepEqual(config.api.tls, { cert: '/etc/hub/tls/hub.pem', key: '/abs/key.pem' });
    assert.deepEqual(config.api.rateLimit, { perSecond: 50, burst: 9 });
    assert.deepEqual(config.outbox.nats?.servers, ['nats://n:4222']);
    assert.equal(config.outbox.nats?.stream, 'CUSTOMS_CP-1');
    assert.equal(config.outbox.buffer.maxAgeMs, 3_600_000);
    assert.equal(config.outbox.mqtt, null);
    assert.equal(config.scoring.policy.thresholds.red, 70);
    assert.equal(config.supervisor.heartbeatTimeoutMs, 5000);
    assert.equal(config.demoTraffic, null);
  });

  it('diffs two configs device by device', () => {
    const a = parseConfig(`${BASE}      - id: D2\n        plugin: virtual\n        config: { kind: weight, rate: 1 }\n`, join('/x', 'a.yaml'), {}).config;
    const b = parseConfig(
      `${BASE.replace('rate: 1', 'rate: 2')}      - id: D3\n        plugin: virtual\n        config: { kind: weight, rate: 1 }\n`,
      join('/x', 'a.yaml'),
      {},
    ).config;
    const d = diffConfig(a, b);
    assert.deepEqual([d.added, d.changed, d.removed, d.unchanged, d.needsRestart], [['D3'], ['D1'], ['D2'], [], []]);
  });
});
