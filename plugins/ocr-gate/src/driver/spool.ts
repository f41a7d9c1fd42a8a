import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Messages the hub could not store before it stopped, kept in the device's data folder and read
 * again at the next start: a stopped hub loses no reading the gate already sent.
 */
export class Spool {
  constructor(private readonly dir: string) {}

  async save(text: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const name = `${createHash('sha256').update(text).digest('hex')}.msg`;
    const tmp = join(this.dir, `.${name}.tmp`);
    await writeFile(tmp, text);
    await rename(tmp, join(this.dir, name));
  }

  /** Each spooled message in turn; removed once handle resolves true (handled), kept otherwise. */
  async drain(handle: (text: string, name: string) => Promise<boolean>): Promise<void> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith('.msg')).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(this.dir, name);
      if (await handle(await readFile(path, 'utf8'), `spool ${name}`)) await rm(path, { force: true });
    }
  }
}
