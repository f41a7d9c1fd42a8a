import assert from 'node:assert/strict';
import { connectAsync, type MqttClient } from 'mqtt';
import { writeObservations } from '../api/api-fixture.js';
import { MqttTarget } from '../../src/outbox/mqtt-target.js';
import { HubStorage, outboxTestConfig, quietLogger } from './outbox-fixture.js';
import { TcpProxy } from './tcp-proxy.js';
import { waitFor } from './wait.js';

function mqttUrl(ctx: Mocha.Context): string {
  const url = process.env.HUB_TEST_MQTT_URL;
  if (!url) {
    process.stdout.write('  (MQTT outbox tests skipped: HUB_TEST_MQTT_URL is not set)\n');
    ctx.skip();
  }
  return url;
}

describe('outbox: delivery over MQTT', function () {
  this.timeout(30_000);
  let url: string;
  let proxy: TcpProxy;
  let subscriber: MqttClient;
  const prefix = `hubtest${process.pid}`;
  const received: Array<{ seq: number; id: string; topic: string }> = [];

  before(async function () {
    url = mqttUrl(this);
    const u = new URL(url);
    proxy = new TcpProxy(u.hostname, Number(u.port || 1883));
    await proxy.start();
    subscriber = await connectAsync(url, { protocolVersion: 5 });
    subscriber.on('message', (topic, payload) => {
      const e = JSON.parse(payload.toString());
      received.push({ seq: e.seq, id: e.id, topic });
    });
    await subscriber.subscribeAsync(`${prefix}/#`, { qos: 1 });
  });
  after(async () => {
    if (!url) return;
    await subscriber.endAsync();
    await proxy.stop();
  });

  it('publishes at QoS 1 in order and, after the broker connection is cut, sends again from the last acknowledgement: every event at least once, first appearances in order', async () => {
    const storage = await new HubStorage().open();
    await writeObservations(storage.writer, 300);
    const target = new MqttTarget({ url: `mqtt://127.0.0.1:${proxy.port}`, topicPrefix: prefix }, 'CP1', 1000, quietLogger);
    const outbox = storage.outbox(target, outboxTestConfig({ maxInFlight: 32 }));
    await outbox.start();
    await waitFor(() => outbox.status().ackedSeq > 50, 10_000, 'delivery under way');
    await proxy.cut();
    await writeObservations(storage.writer, 200);
    await new Promise((r) => setTimeout(r, 300));
    await proxy.restore();
    await waitFor(() => outbox.backlog() === 0, 20_000, 'backlog drained');
    await waitFor(() => new Set(received.map((r) => r.seq)).size === 500, 10_000, 'subscriber has every event');
    await outbox.stop();
    await storage.close();
    storage.remove();
    const firsts: number[] = [];
    const seen = new Set<string>();
    for (const r of received)
      if (!seen.has(r.id)) {
        seen.add(r.id);
        firsts.push(r.seq);
      }
    assert.deepEqual(
      firsts,
      Array.from({ length: 500 }, (_, i) => i + 1),
    );
    assert.equal(received[0]!.topic, `${prefix}/CP1/customs.observation.v1`);
  });
});
