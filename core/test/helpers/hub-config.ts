import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseConfig } from '../../src/config/load-config.js';
import type { HubConfig } from '../../src/config/types.js';
import type { SectionContext } from '../../src/util/config-section.js';
import { createLogger, type Logger } from '../../src/util/logger.js';

export const FIXTURES = join(__dirname, '..', 'fixtures');
export const VIRTUAL_PLUGIN = join(__dirname, '..', '..', '..', '..', 'plugins', 'virtual');

/** A config from YAML text with a temp data dir, fast supervisor timings, and the given storage URL. */
export function testConfig(yaml: string, storageUrl?: string, dataDir = mkdtempSync(join(tmpdir(), 'hub-data-'))): HubConfig {
  const text = `dataDir: ${dataDir}\nhttp: { port: 0 }\nlogging: { level: silent }\n${storageUrl ? `storage: { url: "${storageUrl}" }\n` : ''}${yaml}`;
  return parseConfig(text, join(dataDir, 'test.yaml'), {}).config;
}

/** What load-config hands a config section, for parsing one section alone. */
export function sectionContext(over: Partial<SectionContext> = {}): SectionContext {
  return { env: {}, dir: '/etc/hub', checkpointId: 'CP1', dataDir: '/etc/hub/data', ...over };
}

/** A logger that keeps its records for assertions. */
export function memoryLogger(): { logger: Logger; lines: Array<Record<string, any>> } {
  const lines: Array<Record<string, any>> = [];
  const sink = new Writable({
    write(chunk, _e, cb) {
      for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 10000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
