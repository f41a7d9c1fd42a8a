import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { TestHarness } from '@customs-hub/sdk/testing';
import { plugin } from '../src/index.js';
import { freePort } from './helpers.js';

/** A device that accepts connections and then says nothing: open, but dead. */
async function silentServer(port: number): Promise<{ server: Server; accepted: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((s) => {
    accepted++;
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    server,
    accepted: () => accepted,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('rpm plugin against a device that is connected but silent', function () {
  this.timeout(15000);

  it('ASCII: takes the silent connection for dead after idleTimeoutS and rebuilds it', async () => {
    const port = await freePort();
    const dev = await silentServer(port);
    const h = new TestHarness(plugin, { config: { host: '127.0.0.1', port, idleTimeoutS: 0.5, reconnect: { initialMs: 50, maxMs: 100 } } });
    try {
      await h.start();
      await h.waitFor(() => dev.accepted() >= 2, 5000, 'a second connection');
      assert.ok(h.statuses.some((s) => s.type === 'failure' && s.detail === `no data from 127.0.0.1:${port} for 0.5 s`));
    } finally {
      await h.stop();
      await dev.close();
    }
  });

  it('Modbus: requests time out, are reported, and the connection is rebuilt', async () => {
    const port = await freePort();
    const dev = await silentServer(port);
    const h = new TestHarness(plugin, {
      config: { transport: 'modbus', host: '127.0.0.1', port, reconnect: { initialMs: 50, maxMs: 100 }, modbus: { pollIntervalMs: 100, timeoutMs: 150 } },
    });
    try {
      await h.start();
      await h.waitFor(() => dev.accepted() >= 2, 8000, 'a rebuilt connection');
      assert.ok(
        h.statuses.some((s) => s.type === 'failure' && /no answer within 150 ms/.test(s.detail)),
        JSON.stringify(h.statuses.slice(0, 4)),
      );
    } finally {
      await h.stop();
      await dev.close();
    }
  });

  it('refuses a register map that cannot be read, when the driver starts', async () => {
    const h = new TestHarness(plugin, { config: { transport: 'modbus', host: '127.0.0.1', port: 502, modbus: { map: { ring: { address: 4 } } } } });
    try {
      await assert.rejects(h.start(), /ring at 4 overlaps the header \(0\.\.11\)/);
    } finally {
      await h.stop();
    }
  });
});
