import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pluginFiles, pluginNames } from './plugin-template.js';

export interface ScaffoldResult {
  dir: string;
  files: string[];
  reference: string;
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Writes a new device plugin into <root>/plugins/<name> and adds it to the references of the root
 * tsconfig.json, so `npm run build` builds it (a workspace package missing there builds to nothing).
 */
export function scaffoldPlugin(root: string, name: string): ScaffoldResult {
  if (!NAME.test(name)) throw new Error(`plugin name '${name}' must be kebab-case: lowercase letters and digits, words joined by '-'`);
  const tsconfigPath = join(root, 'tsconfig.json');
  if (!existsSync(tsconfigPath)) throw new Error(`${root} has no tsconfig.json: run this from the hub's repository root, or give --root`);
  const dir = join(root, 'plugins', name);
  if (existsSync(dir)) throw new Error(`${relative(process.cwd(), dir) || dir} exists already`);
  const sdk = join(root, 'sdk', 'tsconfig.json');
  const files = pluginFiles(pluginNames(name, existsSync(sdk) ? relative(dir, dirname(sdk)) : null));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), content);
  }
  const tsconfig = JSON.parse(readFileSync(tsconfigPath, 'utf8')) as { references?: Array<{ path: string }> };
  const reference = `plugins/${name}`;
  const refs = tsconfig.references ?? [];
  // Before core (and bench), which the plugin does not need, so a failing plugin stops the build early.
  const at = refs.findIndex((r) => r.path === 'core');
  refs.splice(at < 0 ? refs.length : at, 0, { path: reference });
  tsconfig.references = refs;
  writeFileSync(tsconfigPath, `${JSON.stringify(tsconfig, null, 2)}\n`);
  return { dir, files: Object.keys(files), reference };
}
