import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Driver, DriverContext, FileResult, ReceivedFile, RawRef } from '@customs-hub/sdk';
import { readOptionsOf, type N42Config } from '../config.js';
import { readN42Text } from '../files.js';
import { draftsWithEvidence, parseDocument, parseDocuments } from '../n42/parse.js';
import type { ReadOptions } from '../n42/read-options.js';
import { HotFolder } from './hot-folder.js';
import { emitAll, emitDocuments, ingestFile } from './ingest.js';
import { StreamListener } from './stream-listener.js';

/**
 * One N42 instrument (or a group of them sharing a folder or port). Inputs: the configured hot
 * folder, the optional TCP stream listener, and files uploaded through the hub's API. Streamed
 * documents whose emits fail are spooled to the device's data folder and retried from there.
 */
export class N42Driver implements Driver<N42Config> {
  private readonly controller = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private listener: StreamListener | null = null;
  private ctx: DriverContext<N42Config> | null = null;
  private signal: AbortSignal = this.controller.signal;
  private config: N42Config = {};
  private limits: ReadOptions = readOptionsOf({});

  async start(ctx: DriverContext<N42Config>): Promise<void> {
    this.config = ctx.config;
    this.limits = readOptionsOf(ctx.config);
    this.ctx = ctx;
    this.signal = AbortSignal.any([ctx.signal, this.controller.signal]);
    const pollMs = this.config.pollMs ?? 1000;
    const ingest = (path: string, name: string) => ingestFile(ctx, path, name, this.limits, this.signal);
    const spool = join(ctx.dataDir, 'spool');
    await mkdir(spool, { recursive: true });
    this.loops.push(new HotFolder(ctx, spool, pollMs, ingest).run(this.signal));
    if (this.config.watchDir) this.loops.push(new HotFolder(ctx, this.config.watchDir, pollMs, ingest).run(this.signal));
    if (this.config.listenPort !== undefined) {
      this.listener = new StreamListener(ctx, this.limits.maxBytes, (text, name) => this.ingestStreamed(text, name, spool));
      await this.listener.start(this.config.listenPort, this.config.listenHost ?? '127.0.0.1');
    }
    const inputs = [
      this.config.watchDir && `folder ${this.config.watchDir}`,
      this.listener?.port() !== undefined && `tcp ${this.listenerAddress()}`,
      'uploads',
    ];
    ctx.status.ok(`N42 ingest ready: ${inputs.filter(Boolean).join(', ')}`);
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.listener?.stop();
    await Promise.allSettled(this.loops);
  }

  /** The TCP address actually bound, e.g. "127.0.0.1:4242". */
  listenerAddress(): string | undefined {
    const port = this.listener?.port();
    return port === undefined ? undefined : `${this.config.listenHost ?? '127.0.0.1'}:${port}`;
  }

  /** A file uploaded through the hub's API (already in its raw store). Throws RejectedInputError for a bad file. */
  async acceptFile(file: ReceivedFile): Promise<FileResult> {
    const ctx = this.context();
    const read = parseDocuments(await readN42Text(file.path, file.name, this.limits), file.name, this.limits);
    const raw: RawRef = { sha256: file.sha256, key: `sha256/${file.sha256}`, size: file.size, name: file.name, contentType: 'application/xml', role: 'source' };
    return emitDocuments(ctx, read, raw, file.name, this.signal);
  }

  private async ingestStreamed(text: string, name: string, spool: string): Promise<void> {
    const ctx = this.context();
    const doc = parseDocument(text, name, this.limits);
    for (const w of doc.warnings) ctx.logger.warn({ source: name }, w);
    const raw = await ctx.storeRaw(Readable.from([Buffer.from(text)]), {
      name: `${doc.uuid ?? doc.sha256}.n42`,
      contentType: 'application/xml',
      role: 'source',
    });
    try {
      const result = await emitAll(ctx, await draftsWithEvidence(doc, raw, ctx.storeRaw), name, this.signal);
      ctx.status.ok(`${name}: ${result.observations} observation(s)`);
    } catch (err) {
      // Keep the document: the spool folder retries it with the same idempotency keys.
      const tmp = join(spool, `.${doc.sha256}.tmp`);
      await writeFile(tmp, text);
      await rename(tmp, join(spool, `${doc.sha256}.n42`));
      throw new Error(`${(err as Error).message}; document spooled for retry`, { cause: err });
    }
  }

  private context(): DriverContext<N42Config> {
    if (!this.ctx) throw new Error('n42 driver not started');
    return this.ctx;
  }
}
