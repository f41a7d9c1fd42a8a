import type { Command } from 'commander';
import { connect } from 'nats';
import { ensureCentralDownlink } from '../../national/downlink-streams.js';
import { NationalConsumer } from '../../national/national-consumer.js';
import { ensureCheckpointMirror } from '../../national/national-stream.js';
import { DOWN_TYPES, sendDown, type DownType } from '../../national/send-down.js';
import { readFileSync } from 'node:fs';
import { fail } from '../fail.js';

const servers = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** The centre's side of the national network: add checkpoints, run the reference consumer. */
export function registerNational(program: Command): void {
  const national = program.command('national').description('the national network on the central JetStream cluster (docs/national-network.md)');
  national
    .command('add-checkpoint <checkpoint...>')
    .description("create each checkpoint's national stream: a three-replica mirror of its edge stream across its leaf domain (idempotent)")
    .requiredOption('--nats <urls>', 'central cluster servers, comma-separated')
    .option('--replicas <n>', 'replicas of each national stream', '3')
    .action(async (checkpoints: string[], opts: { nats: string; replicas: string }) => {
      try {
        const nc = await connect({ servers: servers(opts.nats) });
        const jsm = await nc.jetstreamManager();
        await ensureCentralDownlink(jsm, Number(opts.replicas));
        for (const cp of checkpoints) {
          const r = await ensureCheckpointMirror(jsm, { checkpoint: cp }, { replicas: Number(opts.replicas) });
          process.stdout.write(`${r.name}: ${r.created ? 'created' : 'exists'}\n`);
        }
        await nc.close();
      } catch (err) {
        fail(err);
      }
    });
  national
    .command('send <checkpoint...>')
    .description(
      "publish on the centre's downlink what the checkpoints apply: declarations (a JSON file, or JSON lines), a watchlist snapshot, a model from `model export`",
    )
    .requiredOption('--nats <urls>', 'central cluster servers, comma-separated')
    .requiredOption('--type <type>', `one of ${DOWN_TYPES.join(', ')}`)
    .requiredOption('--file <file>', 'the message: one JSON document, or with --lines one per line')
    .option('--lines', 'the file holds one message per line (JSON lines)')
    .action(async (checkpoints: string[], opts: { nats: string; type: string; file: string; lines?: boolean }) => {
      try {
        if (!(DOWN_TYPES as readonly string[]).includes(opts.type)) throw new Error(`--type '${opts.type}' is not one of ${DOWN_TYPES.join(', ')}`);
        const text = readFileSync(opts.file, 'utf8');
        const bodies = opts.lines
          ? text
              .split('\n')
              .map((l) => l.trim())
              .filter(Boolean)
          : [text.trim()];
        const nc = await connect({ servers: servers(opts.nats) });
        try {
          for (const r of await sendDown(nc, checkpoints, opts.type as DownType, bodies)) {
            process.stdout.write(
              `${r.checkpoint}: ${bodies.length - r.duplicates} ${opts.type} message(s) stored${r.first ? ` (DOWNLINK seq ${r.first}…${r.last})` : ''}${r.duplicates ? `, ${r.duplicates} already there` : ''}\n`,
            );
          }
        } finally {
          await nc.close();
        }
      } catch (err) {
        fail(err);
      }
    });
  national
    .command('consume')
    .description('the reference consumer: every national stream into a PostgreSQL table, idempotent by checkpoint and sequence')
    .requiredOption('--nats <urls>', 'central cluster servers, comma-separated')
    .requiredOption('--pg <url>', 'PostgreSQL URL (postgres://…)')
    .action(async (opts: { nats: string; pg: string }) => {
      try {
        const nc = await connect({ servers: servers(opts.nats), maxReconnectAttempts: -1 });
        const consumer = new NationalConsumer(nc, opts.pg);
        const streams = await consumer.start();
        process.stderr.write(`following ${streams.join(', ') || 'no national streams'}; Ctrl-C to stop\n`);
        const stop = () => {
          void consumer
            .stop()
            .then(() => nc.close())
            .then(() => {
              process.stderr.write(`${consumer.written} events written\n`);
              process.exit(0);
            });
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      } catch (err) {
        fail(err);
      }
    });
}
