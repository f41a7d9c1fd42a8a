import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A signed statement "the chain of checkpoint C had hash H at sequence S", published on the feed. */
export interface SignedCheckpoint {
  checkpoint: string;
  seq: number;
  hash: string;
  at: string;
  keyId: string;
  /** The Ed25519 public key, raw 32 bytes in base64url. */
  publicKey: string;
  /** Ed25519 signature of `signedText(...)`, base64url. */
  signature: string;
}

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: string;
  keyId: string;
}

/** The exact bytes signed: a fixed prefix, so a signature can never be reused for another statement. */
export function signedText(c: Pick<SignedCheckpoint, 'checkpoint' | 'seq' | 'hash' | 'at'>): Buffer {
  return Buffer.from(`customs-hub audit checkpoint v1\n${c.checkpoint}\n${c.seq}\n${c.hash}\n${c.at}`);
}

function rawPublicKey(key: KeyObject): string {
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  return String(jwk.x);
}

export function keyIdOf(publicKey: string): string {
  return createHash('sha256').update(Buffer.from(publicKey, 'base64url')).digest('hex').slice(0, 16);
}

/**
 * The Ed25519 key from a PEM file (PKCS#8). `create` makes one (mode 0600) when the file does not exist
 * yet — the demo's data-dir key; a production config names a key provisioned with the hub.
 */
export function loadSigningKey(file: string, create = false): SigningKey {
  if (!existsSync(file)) {
    if (!create) throw new Error(`audit signing key ${file} does not exist`);
    const { privateKey } = generateKeyPairSync('ed25519');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(file));
  } catch (err) {
    throw new Error(`audit signing key ${file} is not a PEM private key: ${(err as Error).message}`, { cause: err });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`audit signing key ${file} is ${privateKey.asymmetricKeyType}, not Ed25519`);
  const publicKey = rawPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

export function signCheckpoint(key: SigningKey, c: Pick<SignedCheckpoint, 'checkpoint' | 'seq' | 'hash' | 'at'>): SignedCheckpoint {
  const signature = sign(null, signedText(c), key.privateKey).toString('base64url');
  return { ...c, keyId: key.keyId, publicKey: key.publicKey, signature };
}

/** True when the signature is the checkpoint's key's over its statement. */
export function checkSignature(c: SignedCheckpoint): boolean {
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: c.publicKey }, format: 'jwk' });
    return verify(null, signedText(c), key, Buffer.from(c.signature, 'base64url'));
  } catch {
    return false;
  }
}
