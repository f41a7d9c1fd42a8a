import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';

/** Sub-folder of the hot folder for ingested files. */
export const DONE_DIR = 'done';
/** Sub-folder for refused files, each with `<name>.reason.txt`. */
export const REJECTED_DIR = 'rejected';

/** Names a writer uses while a file is still being written. */
const IN_PROGRESS = /^\.|\.(tmp|part|partial|filepart|crdownload)$/i;

/**
 * A hot folder: lists files whose size and mtime held still since the previous scan (so a file
 * still being copied in is left alone), and moves finished files to done/ or rejected/.
 */
export class HotFolder {
  private seen = new Map<string, string>();

  constructor(readonly dir: string) {}

  /** Files ready to ingest, oldest first. Throws when the folder cannot be read. */
  async ready(): Promise<string[]> {
    const entries = await readdir(this.dir, { withFileTypes: true });
    const next = new Map<string, string>();
    const out: Array<{ name: string; mtime: number }> = [];
    for (const e of entries) {
      if (!e.isFile() || IN_PROGRESS.test(e.name) || e.name.endsWith('.reason.txt')) continue;
      const st = await stat(join(this.dir, e.name)).catch(() => null);
      if (!st) continue;
      const sig = `${st.size}:${st.mtimeMs}`;
      next.set(e.name, sig);
      if (this.seen.get(e.name) === sig) out.push({ name: e.name, mtime: st.mtimeMs });
    }
    this.seen = next;
    return out.sort((a, b) => a.mtime - b.mtime || a.name.localeCompare(b.name)).map((f) => f.name);
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  /** Moves an ingested file to done/. */
  async done(name: string): Promise<string> {
    const target = await this.target(DONE_DIR, name);
    await rename(this.path(name), target);
    this.seen.delete(name);
    return target;
  }

  /** Moves a refused file to rejected/, with `<name>.reason.txt` beside it. */
  async reject(name: string, reason: string): Promise<string> {
    const target = await this.target(REJECTED_DIR, name);
    await writeFile(`${target}.reason.txt`, `${reason}\n`);
    await rename(this.path(name), target);
    this.seen.delete(name);
    return target;
  }

  /** A free name in the sub-folder: an earlier file of the same name is never overwritten. */
  private async target(sub: string, name: string): Promise<string> {
    const dir = join(this.dir, sub);
    await mkdir(dir, { recursive: true });
    const ext = extname(name);
    const base = name.slice(0, name.length - ext.length);
    for (let n = 1; ; n++) {
      const candidate = join(dir, n === 1 ? name : `${base}.${n}${ext}`);
      if (!(await exists(candidate))) return candidate;
    }
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
