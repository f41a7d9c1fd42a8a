import { createServer, type Server, type Socket } from 'node:net';
import { crc16 } from './crc16.js';
import { exceptionCodeOf, readTable, type RegisterMap } from './register-map.js';

const REQUEST_LENGTH = 8; // unit, fc, address (2), count (2), CRC (2): every read function

/**
 * A Modbus RTU-over-TCP server (raw RTU frames with CRC on a TCP stream, as a transparent
 * RS-485 gateway carries them) for the read functions 1–4. unitId 255 answers every unit.
 */
export function createRtuOverTcpServer(map: RegisterMap, unitId: number): { server: Server; close(): Promise<void> } {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    serve(socket, map, unitId);
  });
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
  return { server, close };
}

function serve(socket: Socket, map: RegisterMap, serverUnit: number): void {
  let buffer = Buffer.alloc(0);
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    while (buffer.length >= REQUEST_LENGTH) {
      const frame = buffer.subarray(0, REQUEST_LENGTH);
      if (frame.readUInt16LE(6) !== crc16(frame.subarray(0, 6))) {
        buffer = buffer.subarray(1); // resynchronise on the next byte, as a serial slave does after noise
        continue;
      }
      buffer = buffer.subarray(REQUEST_LENGTH);
      const unit = frame[0]!;
      if (serverUnit !== 255 && unit !== serverUnit) continue; // another slave on the bus: stay silent
      socket.write(answer(map, unit, frame[1]!, frame.readUInt16BE(2), frame.readUInt16BE(4)));
    }
  });
}

function answer(map: RegisterMap, unit: number, fc: number, address: number, count: number): Buffer {
  let body: Buffer;
  try {
    const values = readTable(map, fc, address, count, unit);
    body = fc <= 2 ? packBits(values as boolean[]) : packWords(values as number[]);
    body = Buffer.concat([Buffer.from([unit, fc, body.length]), body]);
  } catch (err) {
    body = Buffer.from([unit, fc | 0x80, exceptionCodeOf(err)]);
  }
  const crc = Buffer.alloc(2);
  crc.writeUInt16LE(crc16(body));
  return Buffer.concat([body, crc]);
}

function packWords(words: number[]): Buffer {
  const out = Buffer.alloc(words.length * 2);
  words.forEach((w, i) => out.writeUInt16BE(w & 0xffff, i * 2));
  return out;
}

function packBits(bits: boolean[]): Buffer {
  const out = Buffer.alloc(Math.ceil(bits.length / 8));
  bits.forEach((b, i) => {
    if (b) out[i >> 3]! |= 1 << (i & 7);
  });
  return out;
}
