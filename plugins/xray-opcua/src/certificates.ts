import { X509Certificate, createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

/** A server certificate in the driver's PKI folder. */
export interface CertificateEntry {
  thumbprint: string;
  subject: string;
  validTo: string;
  state: 'trusted' | 'rejected';
  file: string;
}

async function listDir(dir: string, state: CertificateEntry['state']): Promise<CertificateEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: CertificateEntry[] = [];
  for (const name of names.filter((n) => /\.(pem|der|crt)$/i.test(n)).sort()) {
    const file = join(dir, name);
    const cert = new X509Certificate(await readFile(file));
    // OPC UA thumbprints are SHA-1 of the DER form.
    const thumbprint = createHash('sha1').update(cert.raw).digest('hex');
    out.push({ thumbprint, subject: cert.subject.replace(/\n/g, ', '), validTo: new Date(cert.validTo).toISOString(), state, file });
  }
  return out;
}

/** Lists the server certificates the driver has trusted or rejected (rejected ones await a decision). */
export async function listCertificates(pkiDir: string): Promise<CertificateEntry[]> {
  return [...(await listDir(join(pkiDir, 'trusted', 'certs'), 'trusted')), ...(await listDir(join(pkiDir, 'rejected'), 'rejected'))];
}

/**
 * Moves a rejected certificate into the trusted store. idOrThumbprint is its SHA-1 thumbprint
 * (a unique prefix of at least 8 hex digits will do) or its file name. The driver picks it up on its next connection attempt.
 */
export async function trustCertificate(pkiDir: string, idOrThumbprint: string): Promise<CertificateEntry> {
  const want = idOrThumbprint.toLowerCase().replace(/:/g, '');
  const all = await listCertificates(pkiDir);
  const matches = all.filter((c) => c.file.endsWith(`/${idOrThumbprint}`) || c.thumbprint === want || (want.length >= 8 && c.thumbprint.startsWith(want)));
  if (matches.length === 0)
    throw new Error(`no certificate '${idOrThumbprint}' in ${pkiDir} (known: ${all.map((c) => `${c.thumbprint} ${c.state}`).join('; ') || 'none'})`);
  if (matches.length > 1 && new Set(matches.map((m) => m.thumbprint)).size > 1)
    throw new Error(`'${idOrThumbprint}' matches several certificates; give the full thumbprint`);
  const trusted = matches.find((m) => m.state === 'trusted');
  if (trusted) return trusted;
  const cert = matches[0]!;
  const dir = join(pkiDir, 'trusted', 'certs');
  await mkdir(dir, { recursive: true });
  const target = join(dir, cert.file.slice(cert.file.lastIndexOf('/') + 1));
  await rename(cert.file, target);
  return { ...cert, state: 'trusted', file: target };
}

/** The CLI's entry points: `customs-hub certificates list|trust` calls these with the device's <dataDir>/pki. */
export const certificates = { list: listCertificates, trust: trustCertificate };
