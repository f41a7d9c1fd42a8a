import assert from 'node:assert/strict';
import { ModbusConnectionError, ModbusExceptionError, ModbusLink, ModbusLinkClosedError, ModbusQueueFullError, ModbusTimeoutError } from '../src/index.js';
import { startModbusServer, type RunningModbusServer } from '../src/server.js';
import type { RegisterMap } from '../src/register-map.js';
import { freePort, ScriptedServer, until } from './helpers.js';

// Values derived from the address, so every expected value is computed, not copied.
const map: RegisterMap = {
  getInputRegister: (a, unit) => {
    if (a >= 1000) throw { modbusErrorCode: 2 };
    return (a * 7 + unit) & 0xffff;
  },
  getHoldingRegister: (a) => {
    if (a === 99) throw new Error('sensor broken');
    return 0xffff - a;
  },
  getCoil: (a) => a % 3 === 0,
  getDiscreteInput: (a) => a % 2 === 1,
};
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe('ModbusLink', () => {
  let port: number;
  let server: RunningModbusServer | null;
  let scripted: ScriptedServer | null;
  let link: ModbusLink | null;
  const baseline = new Map<string, number>();

  beforeEach(async () => {
    port = await freePort();
    server = null;
    scripted = null;
    link = null;
  });
  afterEach(async () => {
    await link?.close();
    await server?.close();
    await scripted?.close();
  });

  for (const framing of ['tcp', 'rtu-over-tcp'] as const) {
    it(`reads all four tables over ${framing}`, async () => {
      server = await startModbusServer(map, { host: '127.0.0.1', port, framing });
      link = new ModbusLink({ host: '127.0.0.1', port, framing });
      assert.deepEqual(
        await link.readInputRegisters(3, 10, 4),
        range(10, 4).map((a) => a * 7 + 3),
      );
      assert.deepEqual(await link.readHoldingRegisters(1, 5, 2), [0xffff - 5, 0xffff - 6]);
      assert.deepEqual(
        await link.readCoils(1, 0, 10),
        range(0, 10).map((a) => a % 3 === 0),
      );
      assert.deepEqual(await link.readDiscreteInputs(1, 4, 3), [false, true, false]);
      assert.equal(link.connected, true);
    });

    it(`maps Modbus exception codes to ModbusExceptionError over ${framing}`, async () => {
      server = await startModbusServer(map, { host: '127.0.0.1', port, framing });
      link = new ModbusLink({ host: '127.0.0.1', port, framing });
      const err = await link.readInputRegisters(1, 999, 2).then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(err instanceof ModbusExceptionError);
      assert.equal(err.exceptionCode, 2);
      assert.equal(err.exceptionName, 'illegal data address');
      assert.deepEqual(err.request, { unitId: 1, functionCode: 4, address: 999, count: 2 });
      await assert.rejects(link.readHoldingRegisters(1, 99, 1), { name: 'ModbusExceptionError', exceptionCode: 4, exceptionName: 'server device failure' });
      // the link stays usable after an exception
      assert.deepEqual(await link.readInputRegisters(1, 0, 1), [1]);
    });
  }

  it('never has two requests in flight, and answers each caller in order', async () => {
    scripted = new ScriptedServer(15, (a) => a * 2);
    await scripted.listen(port);
    link = new ModbusLink({ host: '127.0.0.1', port });
    const results = await Promise.all(range(0, 8).map((i) => link!.readHoldingRegisters(1, i * 10, 2)));
    assert.deepEqual(
      results,
      range(0, 8).map((i) => [i * 20, i * 20 + 2]),
    );
    assert.equal(scripted.requests, 8);
    assert.equal(scripted.maxOutstanding, 1);
  });

  it('refuses requests beyond the queue bound with a clear error', async () => {
    scripted = new ScriptedServer(50);
    await scripted.listen(port);
    link = new ModbusLink({ host: '127.0.0.1', port, maxQueue: 2 });
    const first = link.readInputRegisters(1, 0, 1);
    await until(() => scripted!.requests === 1, 3000, 'first request');
    const queued = [link.readInputRegisters(1, 1, 1), link.readInputRegisters(1, 2, 1)];
    const err = await link.readInputRegisters(1, 3, 1).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(err instanceof ModbusQueueFullError);
    assert.match(err.message, /request queue full \(2 waiting\); dropped unit 1 fc 4 address 3 count 1/);
    assert.deepEqual(await Promise.all([first, ...queued]), [[0], [1], [2]]);
  });

  it('times out a silent connection and, after N timeouts, destroys and rebuilds it', async () => {
    scripted = new ScriptedServer(null);
    await scripted.listen(port);
    link = new ModbusLink({ host: '127.0.0.1', port, timeoutMs: 80, staleAfterTimeouts: 2, backoff: { initialMs: 10 } });
    const disconnects: Error[] = [];
    link.on('disconnected', (e) => disconnects.push(e));
    const t0 = Date.now();
    await assert.rejects(link.readInputRegisters(1, 0, 1), ModbusTimeoutError);
    assert.ok(Date.now() - t0 < 1000, 'the timeout bounds the request');
    assert.equal(disconnects.length, 0, 'one timeout is not yet a dead link');
    await assert.rejects(link.readInputRegisters(1, 0, 1), /no answer within 80 ms for unit 1 fc 4 address 0 count 1/);
    assert.equal(disconnects.length, 1);
    assert.match(disconnects[0]!.message, /2 request\(s\) unanswered on an open connection; rebuilding it/);
    await until(() => scripted!.connections === 2, 3000, 'a new connection');
  });

  it('rebuilds an RTU-over-TCP connection after a single timeout (RTU frames carry no transaction id)', async () => {
    scripted = new ScriptedServer(null);
    await scripted.listen(port);
    link = new ModbusLink({ host: '127.0.0.1', port, framing: 'rtu-over-tcp', timeoutMs: 60, staleAfterTimeouts: 5, backoff: { initialMs: 10 } });
    const disconnects: Error[] = [];
    link.on('disconnected', (e) => disconnects.push(e));
    await assert.rejects(link.readInputRegisters(1, 0, 1), ModbusTimeoutError);
    assert.equal(disconnects.length, 1);
    await until(() => scripted!.connections === 2, 3000, 'a new connection');
  });

  it('reconnects with backoff after the server restarts', async () => {
    server = await startModbusServer(map, { host: '127.0.0.1', port });
    link = new ModbusLink({ host: '127.0.0.1', port, timeoutMs: 300, backoff: { initialMs: 20, maxMs: 100 } });
    let connects = 0;
    link.on('connected', () => connects++);
    assert.deepEqual(await link.readInputRegisters(1, 1, 1), [8]);
    await server.close();
    server = null;
    await until(() => !link!.connected, 3000, 'the link to notice');
    await assert.rejects(link.readInputRegisters(1, 1, 1), ModbusConnectionError);
    server = await startModbusServer(map, { host: '127.0.0.1', port });
    await until(() => link!.connected, 3000, 'reconnection');
    assert.deepEqual(await link.readInputRegisters(1, 2, 1), [15]);
    assert.equal(connects, 2);
  });

  it('reports a refused connection as ModbusConnectionError naming the endpoint', async () => {
    link = new ModbusLink({ host: '127.0.0.1', port, timeoutMs: 200, backoff: { initialMs: 20 } });
    const errors: Error[] = [];
    link.on('error', (e) => errors.push(e));
    const err = await link.readInputRegisters(1, 0, 1).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(err instanceof ModbusConnectionError);
    assert.match(err.message, new RegExp(`not connected to 127.0.0.1:${port}: cannot connect to 127.0.0.1:${port}: .*ECONNREFUSED`));
    assert.ok(errors.length >= 1);
  });

  it('aborts a queued request by its signal, and closes when the link signal aborts', async () => {
    scripted = new ScriptedServer(40);
    await scripted.listen(port);
    const linkAbort = new AbortController();
    link = new ModbusLink({ host: '127.0.0.1', port, signal: linkAbort.signal });
    const first = link.readInputRegisters(1, 5, 1);
    const request = new AbortController();
    const second = link.readInputRegisters(1, 6, 1, { signal: request.signal });
    request.abort(new Error('poll cancelled'));
    await assert.rejects(second, /poll cancelled/);
    assert.deepEqual(await first, [5]);
    assert.equal(scripted.requests, 1, 'the aborted request was never sent');
    linkAbort.abort();
    await assert.rejects(link.readInputRegisters(1, 0, 1), ModbusLinkClosedError);
  });

  it('leaves no sockets or timers behind once closed', async () => {
    await new Promise((r) => setTimeout(r, 10));
    baseline.clear();
    for (const r of process.getActiveResourcesInfo()) baseline.set(r, (baseline.get(r) ?? 0) + 1);
    server = await startModbusServer(map, { host: '127.0.0.1', port });
    link = new ModbusLink({ host: '127.0.0.1', port });
    await link.readInputRegisters(1, 0, 1);
    const pending = link.readInputRegisters(1, 0, 1);
    await link.close();
    await pending.catch(() => undefined);
    await server.close();
    server = null;
    await new Promise((r) => setTimeout(r, 50));
    const left: string[] = [];
    const now = new Map<string, number>();
    for (const r of process.getActiveResourcesInfo()) now.set(r, (now.get(r) ?? 0) + 1);
    for (const [k, n] of now) if (n > (baseline.get(k) ?? 0)) left.push(k);
    assert.deepEqual(left, []);
  });
});
