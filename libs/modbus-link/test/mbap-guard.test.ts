import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { ModbusLink, ModbusProtocolIdError } from '../src/index.js';
import { freePort } from './helpers.js';

/** Answers every read of holding registers with the value 42, in an MBAP header with the given protocol id. */
function replyingServer(protocolId: number): Server {
  return createServer((socket: Socket) => {
    socket.on('error', () => undefined);
    socket.on('data', (req) => {
      for (let i = 0; i + 12 <= req.length; i += 12) {
        const tid = req.readUInt16BE(i);
        const unit = req[i + 6]!;
        const out = Buffer.alloc(11);
        out.writeUInt16BE(tid, 0);
        out.writeUInt16BE(protocolId, 2);
        out.writeUInt16BE(5, 4);
        out[6] = unit;
        out[7] = 3;
        out[8] = 2;
        out.writeUInt16BE(42, 9);
        socket.write(out);
      }
    });
  });
}

describe('Modbus TCP replies with a non-zero protocol id', function () {
  this.timeout(10000);
  let server: Server;
  let link: ModbusLink | null = null;
  afterEach(async () => {
    await link?.close();
    await new Promise((r) => server.close(r));
  });

  it('are refused, not read as values, and reported', async () => {
    const port = await freePort();
    server = replyingServer(7);
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    link = new ModbusLink({ host: '127.0.0.1', port, framing: 'tcp', timeoutMs: 300 });
    const errors: Error[] = [];
    link.on('error', (e) => errors.push(e));
    await assert.rejects(link.readHoldingRegisters(1, 0, 1));
    const refused = errors.find((e) => e instanceof ModbusProtocolIdError) as ModbusProtocolIdError | undefined;
    assert.ok(refused, `errors: ${errors.map((e) => e.message).join('; ')}`);
    assert.equal(refused.protocolId, 7);
    assert.match(refused.message, /protocol id 7; Modbus TCP requires 0/);
  });

  it('with protocol id 0 the same reply is read', async () => {
    const port = await freePort();
    server = replyingServer(0);
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    link = new ModbusLink({ host: '127.0.0.1', port, framing: 'tcp', timeoutMs: 1000 });
    assert.deepEqual(await link.readHoldingRegisters(1, 0, 1), [42]);
  });
});
