import type { Socket } from 'node:net';
import type { Server } from '@hapi/hapi';

function answer(status: number, error: string, message: string): string {
  const body = JSON.stringify({ statusCode: status, error, message });
  return `HTTP/1.1 ${status} ${error}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}

/**
 * Requests Node's parser refuses before hapi sees them get a JSON answer that says why (hapi's own answer is
 * a bare "400 Bad Request" with no body), and a body that stops arriving short of its Content-Length gets 408
 * (hapi would wait for the rest until its server timeout and answer 503).
 */
export function guardClientErrors(server: Server, options: { bodyIdleMs: number; maxHeaderBytes: number }): void {
  const listener = server.listener;
  listener.removeAllListeners('clientError');
  listener.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || (socket as Socket & { _httpMessage?: unknown })._httpMessage) return socket.destroy();
    const kb = Math.round(options.maxHeaderBytes / 1024);
    const text =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? answer(431, 'Request Header Fields Too Large', `the request line and headers exceed ${kb} KB: a URL or a header is too long`)
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || err.code === 'ERR_HTTP_HEADERS_TIMEOUT'
          ? answer(408, 'Request Timeout', 'the request did not arrive in time')
          : answer(400, 'Bad Request', `malformed HTTP request (${err.code ?? 'parse error'})`);
    socket.end(text);
  });

  server.ext('onRequest', (request, h) => {
    const req = request.raw.req;
    const socket = req.socket as Socket | undefined;
    if (!socket || typeof socket.bytesRead !== 'number') return h.continue; // server.inject: no socket
    if (!req.headers['content-length'] && !req.headers['transfer-encoding']) return h.continue;
    // Watch the socket's byte count, not the body stream: a 'data' listener would consume the body.
    let seen = socket.bytesRead;
    const check = () => {
      if (req.complete || socket.destroyed) return;
      if (socket.bytesRead !== seen) {
        seen = socket.bytesRead;
        timer = setTimeout(check, options.bodyIdleMs).unref();
        return;
      }
      const res = request.raw.res;
      if (res.headersSent) return void socket.destroy();
      const body = JSON.stringify({
        statusCode: 408,
        error: 'Request Timeout',
        message: `the request body stopped arriving: nothing for ${options.bodyIdleMs / 1000} s before its end`,
      });
      res.writeHead(408, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' });
      res.end(body, () => socket.destroy());
    };
    let timer = setTimeout(check, options.bodyIdleMs).unref();
    const done = () => clearTimeout(timer);
    req.once('end', done);
    req.once('close', done);
    return h.continue;
  });
}
