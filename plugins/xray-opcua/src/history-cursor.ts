import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Where HistoryRead resumes: the source time of the oldest scan not yet handed over (or of the newest one
 * handed over, when none is pending). Scans are held from the moment they are queued, so one taken out of
 * order never moves the cursor past one still waiting. Kept in the device's data directory across restarts.
 */
export class HistoryCursor {
  private latest: Date | null = null;
  private readonly held = new Map<string, Date>();
  private written = '';
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  /** Reads the file; a damaged one is set aside and the reason returned (the driver then reads the lookback). */
  async load(): Promise<string | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    let t: Date | null = null;
    try {
      const parsed = JSON.parse(text) as { sourceTime?: unknown };
      if (typeof parsed.sourceTime === 'string') t = new Date(parsed.sourceTime);
    } catch {
      /* handled below */
    }
    if (!t || Number.isNaN(t.getTime())) {
      await rename(this.file, `${this.file}.damaged`);
      return `${this.file} holds no history cursor; moved to ${this.file}.damaged`;
    }
    this.latest = t;
    this.written = t.toISOString();
    return null;
  }

  /** Where to resume reading, or null before anything was read. */
  get value(): Date | null {
    let v = this.latest;
    for (const t of this.held.values()) if (!v || t < v) v = t;
    return v;
  }

  /** A scan with this source time was queued. */
  hold(key: string, t: Date): void {
    const was = this.held.get(key);
    if (!was || t < was) this.held.set(key, t);
  }

  /** The scan is handed over (or will never be): the cursor may pass it (at t, or where it was held). */
  release(key: string, t?: Date): Promise<void> {
    const at = t ?? this.held.get(key);
    this.held.delete(key);
    if (!at) return this.writing;
    if (!this.latest || at > this.latest) this.latest = at;
    return this.persist();
  }

  private persist(): Promise<void> {
    const v = this.value;
    if (!v || v.toISOString() === this.written) return this.writing;
    this.written = v.toISOString();
    const text = JSON.stringify({ sourceTime: this.written });
    this.writing = this.writing
      .catch(() => undefined)
      .then(async () => {
        await mkdir(dirname(this.file), { recursive: true });
        await writeFile(`${this.file}.tmp`, text);
        await rename(`${this.file}.tmp`, this.file);
      });
    return this.writing;
  }
}
