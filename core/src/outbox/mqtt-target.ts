import { connectAsync, type MqttClient } from 'mqtt';
import type { FeedRecord } from '../storage/records.js';
import type { Logger } from '../util/logger.js';
import type { BrokerTarget } from './broker-target.js';
import type { MqttTargetConfig } from './outbox-config.js';
import type { SwallowedErrors } from '../util/swallowed-errors.js';

/** `customs/<checkpoint>/<event type>`; MQTT wildcards and separators in a checkpoint id become `_`. */
export function mqttTopicFor(prefix: string, checkpoint: string, type: string): string {
  return `${prefix}/${checkpoint.replace(/[/+#]/g, '_')}/${type}`;
}

/**
 * Delivery over MQTT 5, QoS 1: every message is acknowledged (PUBACK) and the outbox keeps order with
 * its window. MQTT has no de-duplication, so after a failure the events sent since the last
 * acknowledgement are sent again: at least once, in order, consumers deduplicate by the CloudEvents id
 * (also in the `ce-id` user property). After a failure the session is dropped, so the client library never
 * resends old packets behind the outbox's back.
 */
export class MqttTarget implements BrokerTarget {
  readonly name = 'mqtt';
  private client: MqttClient | null = null;

  constructor(
    private readonly config: MqttTargetConfig,
    private readonly checkpoint: string,
    private readonly ackTimeoutMs: number,
    private readonly logger: Logger,
    private readonly errors?: SwallowedErrors,
  ) {}

  async resync(): Promise<{ lastFeedSeq: number | null }> {
    await this.close();
    this.client = await connectAsync(this.config.url, {
      protocolVersion: 5,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 5000,
      clientId: this.config.clientId ?? `customs-hub-${this.checkpoint}-${process.pid}`,
      ...(this.config.username ? { username: this.config.username, password: this.config.password } : {}),
    });
    this.client.on('error', (err) => this.logger.warn({ broker: 'mqtt', err: err.message }, 'broker connection'));
    return { lastFeedSeq: null };
  }

  publish(record: FeedRecord, cloudEventJson: string): Promise<void> {
    const client = this.client;
    if (!client?.connected) return Promise.reject(new Error('not connected to MQTT'));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no PUBACK for feed seq ${record.seq} within ${this.ackTimeoutMs} ms`)), this.ackTimeoutMs);
      client
        .publishAsync(mqttTopicFor(this.config.topicPrefix, this.checkpoint, record.type), cloudEventJson, {
          qos: 1,
          properties: { contentType: 'application/cloudevents+json', userProperties: { 'ce-id': record.id, 'customs-feed-seq': String(record.seq) } },
        })
        .then(
          () => {
            clearTimeout(timer);
            resolve();
          },
          (err: Error) => {
            clearTimeout(timer);
            reject(err);
          },
        );
    });
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client)
      await client
        .endAsync(true)
        .catch(this.errors?.ignore('outbox.mqtt.close', { topicPrefix: this.config.topicPrefix }, 'closing the MQTT connection failed') ?? (() => undefined));
  }
}
