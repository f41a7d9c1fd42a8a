import type { JsonSchema } from '@customs-hub/sdk';

/** How messages are cut out of a TCP byte stream. */
export type FramingConfig =
  /** A binary length header before each message (the length of the message, header not included). */
  | { type: 'length'; headerBytes?: 2 | 4; byteOrder?: 'big' | 'little' }
  /** Messages ended by a delimiter (newline, ETX), optionally opened by a start byte (STX). */
  | { type: 'delimiter'; end?: string; start?: string };

/** One TCP link to the gate: the hub listens and the gate connects, or the hub connects to the gate's server. */
export interface TcpConfig {
  mode: 'listen' | 'connect';
  /** listen: address to bind (default 127.0.0.1; 0.0.0.0 for gates on the network). connect: the gate's address. */
  host?: string;
  port: number;
  framing?: FramingConfig;
  /** connect: seconds between reconnect attempts (default 2, doubling to 30). */
  reconnectS?: number;
}

/** One OCR gate (portal). HTTP push through the hub's upload route is always on. */
export interface OcrGateConfig {
  tcp?: TcpConfig;
  /** Message format on TCP: by its first character (default), or forced. */
  format?: 'auto' | 'json' | 'xml';
  /** Scale of the gate's confidences: 0..1 (default) or percent 0..100. */
  confidenceScale?: 'unit' | 'percent';
  /** A reading below this overall confidence is marked quality uncertain (default 0.8). */
  minConfidence?: number;
  /** Largest accepted message, in bytes (default 32 MiB). A larger frame is skipped and reported. */
  maxMessageBytes?: number;
  /** Largest accepted image, decoded, in bytes (default 8 MiB). A larger one is not stored; the reading is kept. */
  maxImageBytes?: number;
  /** Fields the format does not know: reported and ignored (default), or the whole message rejected. */
  unknownFields?: 'report' | 'reject';
  /** Seconds without any message (reading or heartbeat) after which the gate is reported as silent (default: off). */
  silenceS?: number;
}

export const DEFAULTS = {
  maxMessageBytes: 32 * 1024 * 1024,
  maxImageBytes: 8 * 1024 * 1024,
  minConfidence: 0.8,
} as const;

const framing: JsonSchema = {
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['type'],
      properties: { type: { const: 'length' }, headerBytes: { enum: [2, 4] }, byteOrder: { enum: ['big', 'little'] } },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['type'],
      properties: { type: { const: 'delimiter' }, end: { type: 'string', minLength: 1, maxLength: 8 }, start: { type: 'string', minLength: 1, maxLength: 8 } },
    },
  ],
};

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    tcp: {
      type: 'object',
      additionalProperties: false,
      required: ['mode', 'port'],
      properties: {
        mode: { enum: ['listen', 'connect'] },
        host: { type: 'string', minLength: 1 },
        port: { type: 'integer', minimum: 0, maximum: 65535 },
        framing,
        reconnectS: { type: 'number', minimum: 0.05, maximum: 3600 },
      },
    },
    format: { enum: ['auto', 'json', 'xml'] },
    confidenceScale: { enum: ['unit', 'percent'] },
    minConfidence: { type: 'number', minimum: 0, maximum: 1 },
    maxMessageBytes: { type: 'integer', minimum: 1024, maximum: 1073741824 },
    maxImageBytes: { type: 'integer', minimum: 1024, maximum: 268435456 },
    unknownFields: { enum: ['report', 'reject'] },
    silenceS: { type: 'number', minimum: 1, maximum: 86400 },
  },
};
