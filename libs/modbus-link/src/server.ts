import { ServerTCP } from 'modbus-serial';
import type { Framing } from './connection.js';
import { readTable, type RegisterMap } from './register-map.js';
import { createRtuOverTcpServer } from './rtu-server.js';

export interface ModbusServerOptions {
  host: string;
  /** A real port; pick a free one first (modbus-serial turns 0 into 502). */
  port: number;
  framing?: Framing;
  /** The unit id served; 255 (default) answers every unit. */
  unitId?: number;
  /** Called with errors of client sockets (resets and the like); they never stop the server. */
  onError?: (err: Error) => void;
}

/** A listening Modbus server, for simulators and tests. */
export interface RunningModbusServer {
  readonly host: string;
  readonly port: number;
  readonly framing: Framing;
  /** Closes the listener and every open client connection. */
  close(): Promise<void>;
}

/**
 * Serves a RegisterMap over Modbus TCP (modbus-serial's ServerTCP) or RTU-over-TCP.
 * Resolves once listening; rejects if the port cannot be bound.
 */
export async function startModbusServer(map: RegisterMap, options: ModbusServerOptions): Promise<RunningModbusServer> {
  const framing = options.framing ?? 'tcp';
  const unitId = options.unitId ?? 255;
  const onError = options.onError ?? (() => undefined);
  if (!(options.port > 0)) throw new RangeError(`startModbusServer: port must be > 0, got ${options.port}`);
  if (framing === 'rtu-over-tcp') {
    const { server, close } = createRtuOverTcpServer(map, unitId);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', onError);
    return { host: options.host, port: options.port, framing, close };
  }
  // Whole blocks through getMultiple*: one call per request, so a block is read as one consistent snapshot.
  const vector = {
    getMultipleInputRegisters: (a: number, n: number, u: number) => readTable(map, 4, a, n, u) as number[],
    getMultipleHoldingRegisters: (a: number, n: number, u: number) => readTable(map, 3, a, n, u) as number[],
    getInputRegister: (a: number, u: number) => (readTable(map, 4, a, 1, u) as number[])[0]!,
    getHoldingRegister: (a: number, u: number) => (readTable(map, 3, a, 1, u) as number[])[0]!,
    getCoil: (a: number, u: number) => (readTable(map, 1, a, 1, u) as boolean[])[0]!,
    getDiscreteInput: (a: number, u: number) => (readTable(map, 2, a, 1, u) as boolean[])[0]!,
  };
  const server = new ServerTCP(vector, { host: options.host, port: options.port, unitID: unitId });
  await new Promise<void>((resolve, reject) => {
    server.once('initialized', () => {
      server.off('serverError', reject);
      resolve();
    });
    server.once('serverError', (err) => {
      server.close(() => undefined);
      reject(err);
    });
  });
  server.on('error', (err) => onError(err as Error));
  server.on('socketError', (err) => onError(err as Error));
  server.on('serverError', (err) => onError(err as Error));
  return {
    host: options.host,
    port: options.port,
    framing,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
