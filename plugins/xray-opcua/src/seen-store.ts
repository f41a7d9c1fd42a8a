import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Matches any scan time: an id recorded before scans were keyed on (id, time). */
const ANY_TIME = '*';

/**
 * The scans already handed to the hub, as (scan id, scan time) — a scanner that restarts its id counter
 * after a reboot reuses ids, and the time tells its scans apart. Kept in the device's data directory so a
 * restarted hub does not download images again. The hub de-duplicates by sourceId anyway; this saves the transfer.
 */
export class SeenStore {
  /** scan id → the scan times seen with it (ISO strings; '' when the scan had none). */
  private readonly scans = new Map<string, Set<string>>();
  private count = 0;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly limit = 10000,
  ) {}

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
    for (const item of parsed) {
      // Older files hold bare ids; their time is unknown, so they match any.
      if (typeof item === 'string') this.remember(item, ANY_TIME);
      else if (Array.isArray(item) && typeof item[0] === 'string' && typeof item[1] === 'string') this.remember(item[0], item[1]);
    }
    return null;
  }

  /** Was this scan (id and time) handed over? */
  has(id: string, time: string): boolean {
    const times = this.scans.get(id);
    return !!times && (times.has(time) || times.has(ANY_TIME));
  }

  /** Other times this id was handed over with (a reused id), empty when none. */
  otherTimes(id: string, time: string): string[] {
    return [...(this.scans.get(id) ?? [])].filter((t) => t !== time && t !== ANY_TIME);
  }

  /** Was any scan with this id handed over? */
  hasId(id: string): boolean {
    return this.scans.has(id);
  }

  /** Records a scan and persists the set (the oldest beyond the limit are forgotten). */
  add(id: string, time: string): Promise<void> {
    this.remember(id, time);
    const snapshot = JSON.stringify([...this.scans].flatMap(([i, times]) => [...times].map((t) => (t === ANY_TIME ? i : [i, t]))));
    this.writing = this.writing.catch(() => undefined).then(() => this.write(snapshot));
    return this.writing;
  }

  private remember(id: string, time: string): void {
    // Map order is insertion order: re-inserting moves the id to the newest end.
    const times = this.scans.get(id) ?? new Set<string>();
    this.scans.delete(id);
    if (!times.has(time)) {
      times.add(time);
      this.count++;
    }
    this.scans.set(id, times);
    while (this.count > this.limit) {
      const [oldest, ts] = this.scans.entries().next().value!;
      this.scans.delete(oldest);
      this.count -= ts.size;
    }
  }

  private async write(text: string): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    await writeFile(tmp, text);
    await rename(tmp, this.file);
  }
}
