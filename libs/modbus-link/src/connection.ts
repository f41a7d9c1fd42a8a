import ModbusRTU from 'modbus-serial';
import { guardMbap } from './mbap-guard.js';

/**
 * How Modbus frames travel over TCP:
 * - 'tcp': Modbus TCP (MBAP header with transaction ids), what Ethernet devices speak;
 * - 'rtu-over-tcp': raw RTU frames (unit, PDU, CRC) tunnelled by a transparent RS-485/Ethernet gateway.
 */
export type Framing = 'tcp' | 'rtu-over-tcp';

export const FRAMINGS: readonly Framing[] = ['tcp', 'rtu-over-tcp'];

export type ModbusClient = InstanceType<typeof ModbusRTU>;

export interface Endpoint {
  host: string;
  port: number;
  framing: Framing;
}

/**
 * Opens one modbus-serial client, or rejects within timeoutMs (the socket is destroyed then).
 * The client's 'error' events are routed to onError so they can never go unhandled.
 */
export async function openClient(endpoint: Endpoint, timeoutMs: number, onError: (err: Error) => void, signal?: AbortSignal): Promise<ModbusClient> {
  signal?.throwIfAborted();
  const client = new ModbusRTU();
  client.on('error', (err) => onError(err instanceof Error ? err : new Error(String((err as { message?: unknown })?.message ?? err))));
  // RTU-over-TCP: modbus-serial's TelnetPort writes raw RTU frames (with CRC) and matches answers by unit and function.
  const connecting =
    endpoint.framing === 'tcp' ? client.connectTCP(endpoint.host, { port: endpoint.port }) : client.connectTelnet(endpoint.host, { port: endpoint.port });
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const cut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`connect to ${endpoint.host}:${endpoint.port} timed out after ${timeoutMs} ms`)), timeoutMs);
    onAbort = () => reject(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([connecting, cut]);
    if (endpoint.framing === 'tcp') guardMbap(client, onError);
    return client;
  } catch (err) {
    connecting.catch(() => undefined);
    destroyClient(client);
    throw err;
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

/** Destroys a client's socket now; pending library callbacks are dropped (the link settles its own requests). */
export function destroyClient(client: ModbusClient): void {
  try {
    client.destroy(() => undefined);
  } catch {
    // destroying a socket that never opened may throw inside modbus-serial; it is gone either way
  }
}
