/** Modbus exception codes (Modbus Application Protocol v1.1b3, §7) and their names. */
export const MODBUS_EXCEPTIONS: Readonly<Record<number, string>> = Object.freeze({
  1: 'illegal function',
  2: 'illegal data address',
  3: 'illegal data value',
  4: 'server device failure',
  5: 'acknowledge',
  6: 'server device busy',
  8: 'memory parity error',
  10: 'gateway path unavailable',
  11: 'gateway target device failed to respond',
});

/** What a request asked for, carried by every request error so logs say which read failed. */
export interface RequestDescription {
  unitId: number;
  /** Modbus function code: 1 coils, 2 discrete inputs, 3 holding registers, 4 input registers. */
  functionCode: number;
  address: number;
  count: number;
}

function where(r: RequestDescription): string {
  return `unit ${r.unitId} fc ${r.functionCode} address ${r.address} count ${r.count}`;
}

/** The device answered with a Modbus exception: it is alive, but refused this request. */
export class ModbusExceptionError extends Error {
  readonly code = 'MODBUS_EXCEPTION';
  /** The exception name, e.g. "illegal data address". */
  readonly exceptionName: string;
  constructor(
    readonly exceptionCode: number,
    readonly request: RequestDescription,
  ) {
    const name = MODBUS_EXCEPTIONS[exceptionCode] ?? 'unknown exception';
    super(`Modbus exception ${exceptionCode} (${name}) for ${where(request)}`);
    this.name = 'ModbusExceptionError';
    this.exceptionName = name;
  }
}

/** No answer within the request timeout. */
export class ModbusTimeoutError extends Error {
  readonly code = 'MODBUS_TIMEOUT';
  constructor(
    readonly timeoutMs: number,
    readonly request: RequestDescription,
  ) {
    super(`no answer within ${timeoutMs} ms for ${where(request)}`);
    this.name = 'ModbusTimeoutError';
  }
}

/** The link is down or went down during the request; the cause says why (refused, reset, stale). */
export class ModbusConnectionError extends Error {
  readonly code = 'MODBUS_CONNECTION';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModbusConnectionError';
  }
}

/** The request queue is full: the link is slower than the polls asked of it. */
export class ModbusQueueFullError extends Error {
  readonly code = 'MODBUS_QUEUE_FULL';
  constructor(
    readonly limit: number,
    readonly request: RequestDescription,
  ) {
    super(`request queue full (${limit} waiting); dropped ${where(request)}`);
    this.name = 'ModbusQueueFullError';
  }
}

/** The link was closed; no more requests are served. */
export class ModbusLinkClosedError extends Error {
  readonly code = 'MODBUS_LINK_CLOSED';
  constructor() {
    super('Modbus link closed');
    this.name = 'ModbusLinkClosedError';
  }
}
