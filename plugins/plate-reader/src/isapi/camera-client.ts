import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { PollConfig } from '../config.js';
import { DEFAULTS } from '../config.js';
import { digestAuthorization, parseChallenge } from './http-auth.js';

/** The camera refused the credentials: nothing works until someone fixes them. */
export class CameraAuthError extends Error {
  readonly code = 'CAMERA_AUTH';
}

/** An answer larger than allowed. */
export class TooLargeError extends Error {
  readonly code = 'TOO_LARGE';
}

export interface CameraResponse {
  status: number;
  body: Buffer;
  contentType: string;
}

/**
 * HTTP to one camera: request timeout, bounded answers, and the camera's authentication — Digest when it
 * challenges for it (ISAPI's default), else Basic. The Digest challenge is kept and reused, as browsers do.
 */
export class CameraClient {
  private challenge: Record<string, string> | null = null;
  private nc = 0;

  constructor(private readonly config: PollConfig) {}

  async request(method: 'GET' | 'POST', path: string, maxBytes: number, signal: AbortSignal, body?: string): Promise<CameraResponse> {
    let res = await this.send(method, path, maxBytes, signal, body);
    if (res.status === 401 && this.config.username !== undefined) {
      const header = res.authenticate;
      if (/^Digest/i.test(header)) {
        this.challenge = parseChallenge(header);
        this.nc = 0;
      }
      res = await this.send(method, path, maxBytes, signal, body, !/^Digest/i.test(header));
    }
    if (res.status === 401 || res.status === 403) {
      throw new CameraAuthError(
        `camera refused ${this.config.username === undefined ? 'the request without credentials' : `the credentials of '${this.config.username}'`} (HTTP ${res.status})`,
      );
    }
    return { status: res.status, body: res.body, contentType: res.contentType };
  }

  /** One request on its own connection (closed after), so a stopped driver leaves no pooled socket behind. */
  private send(
    method: string,
    path: string,
    maxBytes: number,
    signal: AbortSignal,
    body?: string,
    basic = false,
  ): Promise<CameraResponse & { authenticate: string }> {
    const url = new URL(path, this.config.url);
    const headers: Record<string, string> = { connection: 'close' };
    if (body !== undefined) {
      headers['content-type'] = 'application/xml';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const { username, password = '' } = this.config;
    if (username !== undefined && this.challenge)
      headers.authorization = digestAuthorization(this.challenge, method, url.pathname + url.search, username, password, ++this.nc);
    else if (username !== undefined && basic) headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    const timeoutMs = this.config.timeoutMs ?? DEFAULTS.timeoutMs;
    return new Promise((resolve, reject) => {
      const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method, headers, agent: false, signal, timeout: timeoutMs }, (res) => {
        const declared = Number(res.headers['content-length'] ?? NaN);
        if (declared > maxBytes) {
          res.destroy();
          reject(new TooLargeError(`${declared} bytes exceeds the ${maxBytes}-byte limit`));
          return;
        }
        const parts: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            res.destroy();
            req.destroy();
            reject(new TooLargeError(`more than the ${maxBytes}-byte limit`));
            return;
          }
          parts.push(c);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(parts),
            contentType: String(res.headers['content-type'] ?? ''),
            authenticate: String(res.headers['www-authenticate'] ?? ''),
          }),
        );
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}
