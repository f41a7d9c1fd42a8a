import type { Socket } from 'node:net';
import { createFramer, type Framer } from '../framing/framer.js';
import type { FramingConfig } from '../config.js';

/** Handles one complete message of a connection; its errors are the handler's to report. */
export type MessageHandler = (text: string, name: string) => Promise<void>;
/** A problem with the stream itself (framing, truncation, socket error). */
export type ProblemHandler = (reason: string) => void;

/**
 * One TCP connection from (or to) a gate: bytes are cut into messages by the configured framing and
 * handled one at a time, in order; the socket is paused while one is handled, so a slow hub slows the
 * gate (TCP backpressure) rather than buffering without bound. Resolves when the connection is gone
 * and every message of it was handled.
 */
export function serveConnection(
  socket: Socket,
  framing: FramingConfig | undefined,
  maxBytes: number,
  onMessage: MessageHandler,
  onProblem: ProblemHandler,
): Promise<void> {
  const peer = `${socket.remoteAddress}:${socket.remotePort}`;
  const framer: Framer = createFramer(framing, maxBytes);
  let count = 0;
  let chain: Promise<void> = Promise.resolve();
  return new Promise((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      for (const ev of framer.push(chunk)) {
        if (ev.type === 'problem') {
          const reason = `${peer}: ${ev.reason}${ev.fatal ? '; connection closed' : ''}`;
          chain = chain.then(() => onProblem(reason));
          if (ev.fatal) {
            socket.destroy();
            return;
          }
          continue;
        }
        const n = ++count;
        const text = ev.data.toString('utf8');
        socket.pause();
        chain = chain
          .then(() => onMessage(text, `${peer} message ${n}`))
          .finally(() => {
            if (!socket.destroyed) socket.resume();
          });
      }
    });
    socket.on('end', () => {
      const rest = framer.pending();
      // Reported after the messages before it, so statuses read in stream order.
      if (rest > 0) chain = chain.then(() => onProblem(`${peer}: connection ended in the middle of a message (${rest} bytes unread)`));
      socket.end();
    });
    socket.on('error', (err) => {
      chain = chain.then(() => onProblem(`${peer}: ${err.message}`));
    });
    socket.on('close', () => {
      void chain.finally(() => resolve());
    });
  });
}
