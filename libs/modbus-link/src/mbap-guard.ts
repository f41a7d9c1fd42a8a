import type { Socket } from 'node:net';
import type { ModbusClient } from './connection.js';

/** A Modbus TCP reply whose MBAP header is not Modbus (protocol id other than 0). */
export class ModbusProtocolIdError extends Error {
  readonly code = 'MODBUS_PROTOCOL_ID';
  constructor(
    readonly protocolId: number,
    readonly transactionId: number,
  ) {
    super(
      `reply to transaction ${transactionId} has protocol id ${protocolId}; Modbus TCP requires 0 (not a Modbus device, or a broken gateway): reply refused`,
    );
    this.name = 'ModbusProtocolIdError';
  }
}

const MBAP = 6; // transaction id, protocol id, length (unit id counts in length)
/** Longest legal length field: unit id + a 253-byte PDU. */
const MAX_LENGTH = 254;

/**
 * modbus-serial's TCP port reads replies without checking the MBAP protocol id. This puts a filter in front of
 * its socket listener: complete frames with protocol id 0 pass on unchanged; any other frame is dropped and
 * reported, so its bytes never become a reading (the request then times out and the link reconnects).
 */
export function guardMbap(client: ModbusClient, onRefused: (err: ModbusProtocolIdError) => void): void {
  const socket = (client as unknown as { _port?: { _client?: Socket } })._port?._client;
  if (!socket) throw new Error('modbus-serial internals changed: no TCP socket to guard');
  const downstream = socket.listeners('data') as Array<(chunk: Buffer) => void>;
  socket.removeAllListeners('data');
  let buf: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    while (buf.length >= MBAP + 1) {
      const length = buf.readUInt16BE(4);
      if (length < 2 || length > MAX_LENGTH) {
        // Not a Modbus frame at all: drop what is buffered; the next reply starts a frame again.
        const err = new ModbusProtocolIdError(buf.readUInt16BE(2), buf.readUInt16BE(0));
        buf = Buffer.alloc(0);
        onRefused(err);
        return;
      }
      if (buf.length < MBAP + length) return;
      const frame = buf.subarray(0, MBAP + length);
      buf = buf.subarray(MBAP + length);
      const protocolId = frame.readUInt16BE(2);
      if (protocolId !== 0) {
        onRefused(new ModbusProtocolIdError(protocolId, frame.readUInt16BE(0)));
        continue;
      }
      for (const l of downstream) l.call(socket, Buffer.from(frame));
    }
  });
}
