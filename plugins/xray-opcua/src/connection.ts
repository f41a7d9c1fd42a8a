import {
  MessageSecurityMode,
  OPCUACertificateManager,
  OPCUAClient,
  SecurityPolicy,
  UserTokenType,
  type ClientSession,
  type UserIdentityInfo,
} from 'node-opcua';
import { join } from 'node:path';
import type { ResolvedConfig } from './config.js';

/** The server's certificate is not in the PKI's trusted store; someone has to trust it. */
export class UntrustedServerError extends Error {
  readonly code = 'BadCertificateUntrusted';
  constructor(endpointUrl: string, pkiDir: string, options?: { cause?: unknown }) {
    super(
      `the server certificate of ${endpointUrl} is not trusted (BadCertificateUntrusted); it was put in ${pkiDir}/rejected — ` +
        'list it with `customs-hub certificates list` and trust it with `customs-hub certificates trust <thumbprint>`',
      options,
    );
    this.name = 'UntrustedServerError';
  }
}

/** The scanner refused the hub's client certificate: it has to be given the hub's certificate to trust. */
export class ClientCertificateRefusedError extends Error {
  readonly code = 'BadSecurityChecksFailed';
  constructor(endpointUrl: string, certificateFile: string, options?: { cause?: unknown }) {
    super(
      `the scanner at ${endpointUrl} refused the hub's client certificate (BadSecurityChecksFailed): give the scanner ${certificateFile} ` +
        'to trust (in its OPC UA trust list), then the hub connects on its next attempt',
      options,
    );
    this.name = 'ClientCertificateRefusedError';
  }
}

/** Where node-opcua keeps the hub's own client certificate in a PKI folder. */
export function clientCertificateFile(pkiDir: string): string {
  return join(pkiDir, 'own', 'certs', 'client_certificate.pem');
}

/** One live client connection and session; close() releases the socket, the session and the PKI. */
export interface Connection {
  session: ClientSession;
  /** Resolves with a reason once the connection or session is lost. */
  lost: Promise<string>;
  close(): Promise<void>;
}

/**
 * Connects once (no automatic retry: the driver owns reconnection, so it can re-subscribe and browse
 * the history itself). Unknown server certificates are rejected into <pkiDir>/rejected, never accepted.
 */
export async function openConnection(cfg: ResolvedConfig, pkiDir: string, signal: AbortSignal): Promise<Connection> {
  const certificateManager = new OPCUACertificateManager({ rootFolder: pkiDir, automaticallyAcceptUnknownCertificate: false });
  await certificateManager.initialize();
  const client = OPCUAClient.create({
    applicationName: 'customs-hub xray-opcua',
    endpointMustExist: false,
    securityMode: MessageSecurityMode[cfg.securityMode],
    securityPolicy: SecurityPolicy[cfg.securityPolicy],
    clientCertificateManager: certificateManager,
    connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
    keepSessionAlive: true,
    requestedSessionTimeout: 60_000,
  });
  let session: ClientSession | null = null;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    signal.removeEventListener('abort', onAbort);
    try {
      await session?.close();
    } catch {
      /* the server may be gone already */
    }
    try {
      await client.disconnect();
    } catch {
      /* same */
    }
    await certificateManager.dispose();
  };
  const onAbort = () => {
    void close();
  };
  signal.addEventListener('abort', onAbort, { once: true });

  let lose: (reason: string) => void = () => undefined;
  const lost = new Promise<string>((resolve) => {
    lose = resolve;
  });
  client.on('connection_lost', () => lose('connection lost'));
  client.on('close', () => lose('connection closed'));
  try {
    await client.connect(cfg.endpointUrl);
    const identity: UserIdentityInfo | undefined = cfg.user
      ? { type: UserTokenType.UserName, userName: cfg.user.userName, password: cfg.user.password }
      : undefined;
    session = await client.createSession(identity);
  } catch (err) {
    await close();
    if (/BadCertificateUntrusted/.test((err as Error).message)) throw new UntrustedServerError(cfg.endpointUrl, pkiDir, { cause: err });
    if (/BadSecurityChecksFailed/.test((err as Error).message))
      throw new ClientCertificateRefusedError(cfg.endpointUrl, clientCertificateFile(pkiDir), { cause: err });
    throw new Error(`cannot connect to ${cfg.endpointUrl}: ${(err as Error).message.replace(/\s*\n\s*/g, ' ')}`, { cause: err });
  }
  session.on('session_closed', () => lose('session closed by the server'));
  session.on('keepalive_failure', () => lose('session keep-alive failed'));
  return { session, lost, close };
}
