import type { Command } from 'commander';
import { ROLE_SCOPES, parseRole } from '../../auth/roles.js';
import { parseScopes, SCOPES } from '../../auth/scopes.js';
import { TokenStore } from '../../auth/token-store.js';
import { loadConfigFile } from '../../config/load-config.js';
import { openDatabase, type Database } from '../../storage/database.js';
import { fail } from '../fail.js';

async function withTokens<T>(configFile: string, fn: (tokens: TokenStore) => Promise<T>): Promise<T> {
  const { config } = loadConfigFile(configFile);
  let db: Database | null = null;
  try {
    db = await openDatabase(config.storage.url);
    return await fn(new TokenStore(db, config.checkpoint.id));
  } finally {
    await db?.close();
  }
}

/** `customs-hub tokens create|list|revoke`: API tokens in the checkpoint's storage (only their hashes are kept). */
export function registerTokens(program: Command): void {
  const tokens = program.command('tokens').description('create, list and revoke API tokens');
  const configOption = ['-c, --config <file>', 'checkpoint config (YAML)', 'config/demo.yaml'] as const;

  tokens
    .command('create')
    .description('create a token; it is printed once and cannot be shown again')
    .requiredOption('--name <name>', 'who or what uses it, e.g. "central-system" or a person\'s login')
    .option('--role <role>', `a person's role, which gives its scopes: ${Object.keys(ROLE_SCOPES).join(', ')}; machine (default) takes --scope`, 'machine')
    .option('--scope <scopes>', `for a machine, comma-separated: ${SCOPES.join(', ')}`)
    .option(...configOption)
    .action(async (opts: { name: string; role: string; scope?: string; config: string }) => {
      try {
        const role = parseRole(opts.role);
        if (role !== 'machine' && opts.scope) throw new Error(`--scope is for machine tokens; role ${role} has its scopes (${ROLE_SCOPES[role].join(', ')})`);
        if (role === 'machine' && !opts.scope) throw new Error("a machine token needs --scope (or give a person's --role)");
        const scopes = role === 'machine' ? parseScopes(opts.scope!) : ROLE_SCOPES[role];
        const { id, token } = await withTokens(opts.config, (t) => t.create(opts.name, scopes, { role }));
        process.stderr.write(`created token ${id} '${opts.name}' (role ${role}) with scopes ${scopes.join(', ')}; store it now, it is not kept:\n`);
        process.stdout.write(`${token}\n`);
      } catch (err) {
        fail(err);
      }
    });

  tokens
    .command('list')
    .description('list tokens (never their secret)')
    .option(...configOption)
    .action(async (opts: { config: string }) => {
      try {
        const list = await withTokens(opts.config, (t) => t.list());
        for (const t of list) {
          process.stdout.write(
            `${t.id}  ${t.name.padEnd(24)} ${t.scopes.join(',').padEnd(40)} ${t.role.padEnd(11)} created ${t.createdAt}${t.revokedAt ? `  REVOKED ${t.revokedAt}` : ''}\n`,
          );
        }
        if (list.length === 0) process.stderr.write('no tokens\n');
      } catch (err) {
        fail(err);
      }
    });

  tokens
    .command('revoke <id>')
    .description('revoke a token by id (a running hub stops accepting it within seconds)')
    .option(...configOption)
    .action(async (id: string, opts: { config: string }) => {
      try {
        const done = await withTokens(opts.config, (t) => t.revoke(id));
        if (!done) throw new Error(`no active token with id ${id}`);
        process.stdout.write(`revoked ${id}\n`);
      } catch (err) {
        fail(err);
      }
    });
}
