import type { Request } from '@hapi/hapi';
import type { TLSSocket } from 'node:tls';
import type { MtlsConfig } from './security-config.js';
import { effectiveScopes } from './scopes.js';

/**
 * The machine identity of a request's client certificate: it must have passed the TLS handshake's check
 * against the configured CA, and match a configured client by subject CN or SHA-256 fingerprint.
 */
export function certificateCredentials(
  req: Request,
  mtls: MtlsConfig,
): { subject: string; name: string; role: 'machine'; client: string; scope: string[] } | null {
  const socket = req.raw.req.socket as TLSSocket;
  if (typeof socket.getPeerCertificate !== 'function' || !socket.authorized) return null;
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.fingerprint256) return null;
  const fingerprint = cert.fingerprint256.replace(/:/g, '').toUpperCase();
  const cn = Array.isArray(cert.subject?.CN) ? cert.subject.CN[0] : cert.subject?.CN;
  const client = mtls.clients.find(
    (c) => (c.fingerprint !== null && c.fingerprint === fingerprint) || (c.cn !== null && c.fingerprint === null && c.cn === cn),
  );
  if (!client) return null;
  return { subject: client.name, name: client.name, role: 'machine', client: `cert:${fingerprint.slice(0, 16)}`, scope: effectiveScopes(client.scopes) };
}
