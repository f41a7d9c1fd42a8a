import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The scan ids already handed to the hub, kept in the device's data directory so a restarted hub
 * does not download images again. The hub de-duplicates anyway; this saves the transfer.
 */
export class SeenStore {
  private readonly ids = new Set<string>();
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly file: string, private readonly limit = 10000) {}

  /**
   * Reads the file. A damaged file is not fatal (the hub de-duplicates by scan id anyway): it is
   * set aside and the reason returned, so the driver can say why old scans are offered again.
   */
  async load(): Promise<string | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      parsed = err;
    }
    if (!Array.isArray(parsed)) {
      await rename(this.file, `${this.file}.damaged`);
      return `${this.file} is not a JSON array of scan ids; moved to ${this.file}.damaged`;
    }
    for (const id of parsed) if (typeof id === 'string') this.ids.add(id);
    return null;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Records an id and persists the set (oldest ids beyond the limit are forgotten). */
  add(id: string): Promise<void> {
    this.ids.delete(id);
    this.ids.add(id);
    while (this.ids.size > this.limit) this.ids.delete(this.ids.values().next().value!);
    const snapshot = JSON.stringify([...this.ids]);
    this.writing = this.writing.catch(() => undefined).then(() => this.write(snapshot));
    return this.writing;
  }

  private async write(text: string): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    await writeFile(tmp, text);
    await rename(tmp, this.file);
  }
}
