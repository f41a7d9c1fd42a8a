import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RejectedInputError, type DriverContext, type FileResult } from '@customs-hub/sdk';

/** Reads one file of the folder; throws RejectedInputError for a bad file. */
export type FileIngest = (path: string, name: string) => Promise<FileResult>;

const SKIP = /^\.|\.(tmp|part|partial|crdownload)$|\.reason\.txt$/i;

/**
 * A folder the instrument drops N42 files into. A file is read once its size and mtime held still
 * for one scan (so half-written files wait), moved to done/ only after all its observations were
 * committed, or to rejected/ with <name>.reason.txt beside it. A file whose emits failed stays put
 * and is read again on the next scan; the idempotency keys make the repeat harmless.
 */
export class HotFolder {
  private readonly seen = new Map<string, string>();

  constructor(
    private readonly ctx: DriverContext<unknown>,
    readonly dir: string,
    private readonly pollMs: number,
    private readonly ingest: FileIngest,
  ) {}

  /** Scans until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.scan(signal);
      try {
        await this.ctx.clock.sleep(this.pollMs, signal);
      } catch {
        return;
      }
    }
  }

  /** One pass over the folder. */
  async scan(signal: AbortSignal): Promise<void> {
    let names: string[];
    try {
      await mkdir(join(this.dir, 'done'), { recursive: false }).catch(ignoreExists);
      await mkdir(join(this.dir, 'rejected'), { recursive: false }).catch(ignoreExists);
      names = (await readdir(this.dir, { withFileTypes: true }))
        .filter((e) => e.isFile() && !SKIP.test(e.name))
        .map((e) => e.name)
        .sort();
    } catch (err) {
      this.ctx.status.failure(`watch folder ${this.dir}: ${(err as Error).message}`);
      return;
    }
    for (const name of this.seen.keys()) if (!names.includes(name)) this.seen.delete(name);
    for (const name of names) {
      if (signal.aborted) return;
      const path = join(this.dir, name);
      const info = await stat(path).catch(() => null);
      if (!info) continue;
      const key = `${info.size}:${info.mtimeMs}`;
      if (this.seen.get(name) !== key) {
        this.seen.set(name, key);
        continue;
      }
      await this.process(path, name, signal);
    }
  }

  private async process(path: string, name: string, signal: AbortSignal): Promise<void> {
    try {
      const result = await this.ingest(path, name);
      const target = await this.move(path, 'done', name);
      this.seen.delete(name);
      this.ctx.logger.info({ file: name, ...result }, 'N42 file ingested');
      const summary = `${name}: ${result.observations} observation(s)${result.duplicates ? `, ${result.duplicates} already stored` : ''}`;
      if (result.warnings?.length) {
        // Read in part (a cut-off last document): the operator finds why beside the file.
        await writeFile(`${target}.warnings.txt`, `${result.warnings.join('\n')}\n`);
        this.ctx.status.failure(`${summary}; ${result.warnings.join('; ')}`);
      } else this.ctx.status.ok(summary);
    } catch (err) {
      if (err instanceof RejectedInputError) {
        const target = await this.move(path, 'rejected', name);
        await writeFile(`${target}.reason.txt`, `${err.reason}\n`);
        this.seen.delete(name);
        this.ctx.logger.warn({ file: name, reason: err.reason }, 'N42 file rejected');
        this.ctx.status.failure(`${name} rejected: ${err.reason}`);
      } else if (!signal.aborted) {
        this.ctx.logger.error({ file: name, err: (err as Error).message }, 'N42 file not ingested; will retry');
        this.ctx.status.failure(`${name}: ${(err as Error).message}; will retry`);
      }
    }
  }

  /** Moves a file into a subfolder, never overwriting an earlier file of the same name. */
  private async move(path: string, sub: string, name: string): Promise<string> {
    let target = join(this.dir, sub, name);
    if (await stat(target).catch(() => null)) target = join(this.dir, sub, `${this.ctx.clock.now().getTime()}-${name}`);
    await rename(path, target);
    return target;
  }
}

function ignoreExists(err: NodeJS.ErrnoException): void {
  if (err.code !== 'EEXIST') throw err;
}
