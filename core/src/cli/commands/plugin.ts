import { resolve } from 'node:path';
import type { Command } from 'commander';
import { WORKSPACE_PLUGINS_DIR } from '../../plugins/package-discovery.js';
import { scaffoldPlugin } from '../scaffold/scaffold-plugin.js';
import { fail } from '../fail.js';

/** `customs-hub plugin new NAME`: a device plugin that builds, runs its simulator and passes the conformance kit. */
export function registerPlugin(program: Command): void {
  const plugin = program.command('plugin').description('work on device plugins');
  plugin
    .command('new <name>')
    .description('scaffold a device plugin in plugins/<name>: driver, simulator, config schema, README, tests; wired into the build')
    .option('--root <dir>', "the hub's repository root", resolve(WORKSPACE_PLUGINS_DIR, '..'))
    .action((name: string, opts: { root: string }) => {
      try {
        const r = scaffoldPlugin(resolve(opts.root), name);
        process.stdout.write(`created ${r.dir}\n${r.files.map((f) => `  ${f}`).join('\n')}\nadded ${r.reference} to the references of tsconfig.json\n`);
        process.stdout.write(`next: npm run build && npx mocha --no-config '${r.reference}/dist/test/**/*.test.js'\n      customs-hub simulate ${name}\n`);
      } catch (err) {
        fail(err);
      }
    });
}
