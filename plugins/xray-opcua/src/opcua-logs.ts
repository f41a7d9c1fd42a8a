import type { Logger } from '@customs-hub/sdk';

type Print = (...args: unknown[]) => void;
interface OpcuaDebug {
  setWarningLogger(p: Print): void;
  setErrorLogger(p: Print): void;
}

const held: string[] = [];
let target: Logger | null = null;
let routed = false;

function text(args: unknown[]): string {
  // node-opcua decorates its lines with ANSI colours and a source column; keep the message.
  return (
    args
      .map(String)
      .join(' ')
      // eslint-disable-next-line no-control-regex -- strips the library's ANSI colour escapes
      .replace(/\x1b\[[0-9;]*m/g, '')
      .replace(/^\S+Z :\S+\s+:\d+\s+/, '')
      .trim()
  );
}

/**
 * node-opcua prints warnings and errors straight to the console, some at load time; route them into the hub's
 * logger instead (warnings at debug, errors at warn). Lines printed before a logger is known are held (bounded).
 */
export function routeOpcuaLogs(logger?: Logger): void {
  if (logger) {
    target = logger;
    for (const line of held.splice(0)) logger.debug({ lib: 'node-opcua' }, line);
  }
  if (routed) return;
  routed = true;
  const debug = require('node-opcua-debug') as OpcuaDebug;
  const sink =
    (level: 'debug' | 'warn'): Print =>
    (...args) => {
      const line = text(args);
      if (target) target[level]({ lib: 'node-opcua' }, line);
      else if (held.length < 100) held.push(line);
    };
  debug.setWarningLogger(sink('debug'));
  debug.setErrorLogger(sink('warn'));
}
