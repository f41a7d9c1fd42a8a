export { ModbusLink, type ModbusLinkOptions, type RequestOptions } from './link.js';
export { type LinkEventMap, type LinkEventName } from './link-events.js';
export { FRAMINGS, type Framing } from './connection.js';
export {
  MODBUS_EXCEPTIONS,
  ModbusConnectionError,
  ModbusExceptionError,
  ModbusLinkClosedError,
  ModbusQueueFullError,
  ModbusTimeoutError,
  type RequestDescription,
} from './errors.js';
export { decodeValue, encodeValue, REGISTER_TYPES, wordCount, type RegisterType, type ValueFormat, type WordOrder } from './decode.js';
export { backoffDelay, type BackoffOptions } from './backoff.js';
export { PollScheduler, phaseOffsets, type PollSchedulerOptions, type PollTask, type SchedulerClock } from './poll-scheduler.js';
export { sleep } from './sleep.js';
export { startModbusServer, type ModbusServerOptions, type RunningModbusServer } from './server.js';
export { type RegisterMap } from './register-map.js';
export { crc16 } from './crc16.js';
export { ModbusProtocolIdError } from './mbap-guard.js';
