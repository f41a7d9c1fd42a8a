import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROFILE_DIR } from '../src/profile-loader.js';
export { freePort } from '@customs-hub/sdk/testing';

/** Writes a variant of a shipped profile (text edits applied in order) to a temp file; returns its path. */
export function profileVariant(shipped: string, edits: Array<[string | RegExp, string]>, append = ''): string {
  let text = readFileSync(join(PROFILE_DIR, `${shipped}.yaml`), 'utf8');
  for (const [from, to] of edits) {
    const next = text.replace(from, to);
    if (next === text) throw new Error(`profileVariant: '${String(from)}' not found in ${shipped}.yaml`);
    text = next;
  }
  const file = join(mkdtempSync(join(tmpdir(), 'modbus-profile-')), `${shipped}-variant.yaml`);
  writeFileSync(file, text + append);
  return file;
}

/** A TCP server that accepts connections and never answers: a device whose firmware hangs. */
export class SilentServer {
  connections = 0;
  private readonly sockets = new Set<Socket>();
  private server: Server | null = null;

  async listen(port: number): Promise<void> {
    this.server = createServer((s) => {
      this.connections++;
      this.sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Independent reference decoder: DataView over big-endian bytes, words reordered for 'little'. */
export function referenceDecode(words: number[], type: string, wordOrder: 'big' | 'little'): number {
  const ordered = wordOrder === 'little' ? [...words].reverse() : words;
  const view = new DataView(new ArrayBuffer(ordered.length * 2));
  ordered.forEach((w, i) => view.setUint16(i * 2, w));
  switch (type) {
    case 'u16':
      return view.getUint16(0);
    case 's16':
      return view.getInt16(0);
    case 'u32':
      return view.getUint32(0);
    case 's32':
      return view.getInt32(0);
    case 'f32':
      return view.getFloat32(0);
    default:
      throw new Error(`no reference decoder for ${type}`);
  }
}

/** Relative closeness, for values that went through f32 and 9-digit rounding. */
export function close(actual: unknown, expected: number, rel = 1e-6): boolean {
  return typeof actual === 'number' && Math.abs(actual - expected) <= Math.max(Math.abs(expected) * rel, 1e-12);
}
