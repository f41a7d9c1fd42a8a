import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { fromRow } from '../../audit/audit-entry.js';
import { queryAudit } from '../../audit/audit-log.js';
import { loadSigningKey, type SignedCheckpoint } from '../../audit/audit-signer.js';
import { verifyAudit } from '../../audit/audit-verify.js';
import { loadConfigFile } from '../../config/load-config.js';
import { openDatabase, type Database } from '../../storage/database.js';
import { fail } from '../fail.js';

function isoOption(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new Error(`--${name} '${value}' is not an ISO time (e.g. 2026-03-01T00:00:00Z)`);
  return new Date(t).toISOString();
}

/** Checkpoints kept by the central system, one JSON per line (the feed's customs.audit.checkpoint.v1 data, or whole events). */
function readCheckpoints(file: string): SignedCheckpoint[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      try {
        const v = JSON.parse(l);
        return (v.data && v.type ? v.data : v) as SignedCheckpoint;
      } catch (err) {
        throw new Error(`${file}:${i + 1}: not JSON: ${(err as Error).message}`, { cause: err });
      }
    });
}

/** `customs-hub audit verify|export`: the tamper-evident audit log in the checkpoint's storage. */
export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('verify and export the audit log');
  const configOption = ['-c, --config <file>', 'checkpoint config (YAML)', 'config/demo.yaml'] as const;

  audit
    .command('verify')
    .description('walk the hash chain and the signed checkpoints; exits 1 naming the first entry that does not match')
    .option(...configOption)
    .option('--checkpoints <file>', 'signed checkpoints held elsewhere (the central system), JSON lines')
    .option('--any-key', 'accept checkpoints signed by any key (default: only the key in the config)')
    .action(async (opts: { config: string; checkpoints?: string; anyKey?: boolean }) => {
      let db: Database | null = null;
      try {
        const { config } = loadConfigFile(opts.config);
        const trustedKeys = opts.anyKey || !existsSync(config.audit.signingKeyFile) ? undefined : [loadSigningKey(config.audit.signingKeyFile).publicKey];
        db = await openDatabase(config.storage.url);
        const r = await verifyAudit(db, config.checkpoint.id, {
          ...(trustedKeys ? { trustedKeys } : {}),
          ...(opts.checkpoints ? { extraCheckpoints: readCheckpoints(opts.checkpoints) } : {}),
        });
        if (!r.ok) {
          process.stdout.write(`audit: FAILED at entry ${r.problem!.seq} (${r.problem!.kind}): ${r.problem!.message}\n`);
          process.exitCode = 1;
        } else {
          process.stdout.write(
            `audit: ok, ${r.entries} entries${r.head ? ` up to seq ${r.head.seq} (${r.head.hash})` : ''}, ${r.checkpoints} signed checkpoint(s) matched\n`,
          );
        }
      } catch (err) {
        fail(err);
      } finally {
        await db?.close();
      }
    });

  audit
    .command('export')
    .description('write entries as JSON lines (to stdout or --out), in chain order')
    .option(...configOption)
    .option('--from <time>', 'entries at or after this ISO time')
    .option('--to <time>', 'entries before this ISO time')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (opts: { config: string; from?: string; to?: string; out?: string }) => {
      let db: Database | null = null;
      try {
        const from = isoOption('from', opts.from);
        const to = isoOption('to', opts.to);
        const { config } = loadConfigFile(opts.config);
        db = await openDatabase(config.storage.url);
        const out = opts.out ? createWriteStream(opts.out) : process.stdout;
        let after = 0;
        let n = 0;
        for (;;) {
          const rows = await queryAudit(db, config.checkpoint.id, { after, limit: 1000, ...(from ? { from } : {}), ...(to ? { to } : {}) });
          if (rows.length === 0) break;
          const text = rows.map((r) => JSON.stringify(fromRow(r))).join('\n') + '\n';
          if (!out.write(text))
            await new Promise<void>((r) => {
              out.once('drain', () => r());
            });
          after = Number(rows[rows.length - 1]!.seq);
          n += rows.length;
        }
        if (opts.out)
          await new Promise<void>((resolve, reject) =>
            (out as ReturnType<typeof createWriteStream>).end((err?: Error | null) => (err ? reject(err) : resolve())),
          );
        process.stderr.write(`audit: exported ${n} entries\n`);
      } catch (err) {
        fail(err);
      } finally {
        await db?.close();
      }
    });
}
