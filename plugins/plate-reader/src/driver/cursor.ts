import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where polling resumes: the last capture time seen and the pictures seen at that time (the camera's resolution is a second). */
export interface Cursor {
  time: string;
  seen: string[];
}

/** The poll cursor, kept in the device's data folder across restarts (written atomically). */
export class CursorStore {
  private readonly file: string;
  constructor(private readonly dir: string) {
    this.file = join(dir, 'cursor.json');
  }

  async load(): Promise<Cursor | null> {
    try {
      const c = JSON.parse(await readFile(this.file, 'utf8')) as Cursor;
      return typeof c.time === 'string' && Array.isArray(c.seen) ? c : null;
    } catch {
      return null;
    }
  }

  async save(c: Cursor): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const tmp = `${this.file}.tmp`;
    await writeFile(tmp, JSON.stringify(c));
    await rename(tmp, this.file);
  }
}
