import type { ConfigSection } from '../util/config-section.js';

export type WhenFull = 'stop-accepting' | 'drop-oldest';

/** The local buffer (the feed not yet acknowledged by the broker): bounded by events and age. */
export interface BufferPolicy {
  maxEvents: number;
  maxAgeMs: number;
  alarmAt: number;
  whenFull: WhenFull;
}

export interface NatsTargetConfig {
  servers: string[];
  stream: string;
  subjectPrefix: string;
  token?: string;
  user?: string;
  pass?: string;
  duplicateWindowMs: number;
  /** Apply the centre's downlink for this checkpoint from the same NATS server (its leaf node). */
  downlink?: boolean;
  /** A released model from the downlink goes live (the centre's release is the approval) or waits in shadow. */
  downlinkModels?: 'live' | 'shadow';
}

export interface MqttTargetConfig {
  url: string;
  topicPrefix: string;
  clientId?: string;
  username?: string;
  password?: string;
}

/** The checkpoint YAML `outbox:` section, with defaults. Delivery is off unless a broker is configured. */
export interface OutboxConfig {
  nats: NatsTargetConfig | null;
  mqtt: MqttTargetConfig | null;
  maxInFlight: number;
  /** Ask the broker to acknowledge at least every this many events (and the last of each batch). */
  ackEvery: number;
  batchSize: number;
  ackTimeoutMs: number;
  backoff: { initialMs: number; maxMs: number };
  buffer: BufferPolicy;
  checkIntervalMs: number;
}

const schema = {
  type: 'object',
  additionalProperties: false,
  description: 'Broker delivery of the feed; see docs/central-interface.md.',
  properties: {
    nats: {
      type: 'object',
      additionalProperties: false,
      required: ['servers'],
      properties: {
        servers: {
          anyOf: [
            { type: 'string', minLength: 1 },
            { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
          ],
        },
        stream: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
        subjectPrefix: { type: 'string', pattern: '^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$' },
        token: { type: 'string' },
        user: { type: 'string' },
        pass: { type: 'string' },
        duplicateWindowMs: { type: 'integer', minimum: 1000 },
        downlink: {
          type: 'boolean',
          description:
            "apply what the centre sends this checkpoint (declarations, watchlists, released models) from the leaf node's DOWNLINK_<checkpoint> stream; docs/national-network.md",
        },
        downlinkModels: {
          enum: ['live', 'shadow'],
          description: 'a risk model released by the centre goes live at once (default) or runs in shadow until promoted here',
        },
      },
    },
    mqtt: {
      type: 'object',
      additionalProperties: false,
      required: ['url'],
      properties: {
        url: { type: 'string', pattern: '^mqtts?://' },
        topicPrefix: { type: 'string', pattern: '^[^+#]+$' },
        clientId: { type: 'string', minLength: 1, maxLength: 128 },
        username: { type: 'string' },
        password: { type: 'string' },
      },
    },
    maxInFlight: { type: 'integer', minimum: 1, maximum: 10000 },
    ackEvery: { type: 'integer', minimum: 1, maximum: 1000 },
    batchSize: { type: 'integer', minimum: 1, maximum: 10000 },
    ackTimeoutMs: { type: 'integer', minimum: 100 },
    backoff: {
      type: 'object',
      additionalProperties: false,
      properties: { initialMs: { type: 'integer', minimum: 10 }, maxMs: { type: 'integer', minimum: 10 } },
    },
    buffer: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxEvents: { type: 'integer', minimum: 1 },
        maxAgeHours: { type: 'number', exclusiveMinimum: 0 },
        alarmAt: { type: 'number', exclusiveMinimum: 0, maximum: 1, description: 'fraction of either limit that raises the alarm' },
        whenFull: { enum: ['stop-accepting', 'drop-oldest'] },
      },
    },
    checkIntervalMs: { type: 'integer', minimum: 50 },
  },
} as const;

/** A NATS stream name from a checkpoint id: CUSTOMS_BORDER-1. */
export function defaultStreamName(checkpoint: string): string {
  return `CUSTOMS_${checkpoint.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** `outbox:` — broker delivery of the feed (NATS JetStream, MQTT); off unless a broker is configured. */
export const outboxSection: ConfigSection<OutboxConfig> = {
  schema,
  parse: (raw, { checkpointId }) => {
    const o = raw ?? {};
    const n = o.nats;
    const m = o.mqtt;
    return {
      nats: n
        ? {
            servers: Array.isArray(n.servers) ? n.servers : [n.servers],
            stream: n.stream ?? defaultStreamName(checkpointId),
            subjectPrefix: n.subjectPrefix ?? 'customs',
            ...(n.token ? { token: n.token } : {}),
            ...(n.user ? { user: n.user } : {}),
            ...(n.pass ? { pass: n.pass } : {}),
            duplicateWindowMs: n.duplicateWindowMs ?? 10 * 60_000,
            downlink: n.downlink === true,
            downlinkModels: n.downlinkModels ?? 'live',
          }
        : null,
      mqtt: m
        ? {
            url: m.url,
            topicPrefix: m.topicPrefix ?? 'customs',
            ...(m.clientId ? { clientId: m.clientId } : {}),
            ...(m.username ? { username: m.username, password: m.password } : {}),
          }
        : null,
      maxInFlight: o.maxInFlight ?? 4096,
      ackEvery: o.ackEvery ?? 64,
      batchSize: o.batchSize ?? 2000,
      ackTimeoutMs: o.ackTimeoutMs ?? 5000,
      backoff: { initialMs: o.backoff?.initialMs ?? 250, maxMs: o.backoff?.maxMs ?? 30_000 },
      buffer: {
        maxEvents: o.buffer?.maxEvents ?? 5_000_000,
        maxAgeMs: (o.buffer?.maxAgeHours ?? 14 * 24) * 3_600_000,
        alarmAt: o.buffer?.alarmAt ?? 0.8,
        whenFull: o.buffer?.whenFull ?? 'stop-accepting',
      },
      checkIntervalMs: o.checkIntervalMs ?? 1000,
    };
  },
};
