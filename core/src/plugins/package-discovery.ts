import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import semver from 'semver';
import { SDK_VERSION } from '@customs-hub/sdk';

/** Where the hub's own workspace packages live (plugins/* next to core/). */
export const WORKSPACE_PLUGINS_DIR = resolve(__dirname, '..', '..', '..', '..', 'plugins');

export interface RefusedPlugin {
  source: string;
  reason: string;
}

/** A package found for a role; `name` when its package.json declares it (`"customsHub": { "name": … }`). */
export interface DiscoveredPackage {
  path: string;
  source: string;
  name?: string;
}

export interface DiscoveryOptions {
  /** Where workspace packages are looked for; null for none (tests). */
  workspaceDir?: string | null;
  /** Installed packages a config names. */
  packages?: string[];
  /** Where named packages are resolved from (the config's folder). */
  resolveFrom?: string;
}

/**
 * Finds the packages that declare `"customsHub": { "<role>": true }` in the workspace, and resolves the named
 * ones. Device plugins and scorers are found the same way.
 */
export function discoverPackages(role: 'plugin' | 'scorer', options: DiscoveryOptions): { found: DiscoveredPackage[]; missing: RefusedPlugin[] } {
  const found: DiscoveredPackage[] = [];
  const missing: RefusedPlugin[] = [];
  const dir = options.workspaceDir === undefined ? WORKSPACE_PLUGINS_DIR : options.workspaceDir;
  if (dir && existsSync(dir)) {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const pkgFile = join(dir, entry.name, 'package.json');
      if (!entry.isDirectory() || !existsSync(pkgFile)) continue;
      const marks = JSON.parse(readFileSync(pkgFile, 'utf8')).customsHub;
      if (marks?.[role] !== true) continue;
      found.push({ path: join(dir, entry.name), source: `workspace plugins/${entry.name}`, ...(typeof marks.name === 'string' ? { name: marks.name } : {}) });
    }
  }
  for (const name of options.packages ?? []) {
    try {
      found.push({ path: require.resolve(name, { paths: [options.resolveFrom ?? process.cwd(), __dirname] }), source: `package ${name}` });
    } catch (err) {
      missing.push({ source: name, reason: `package not found: ${(err as Error).message.split('\n')[0]}` });
    }
  }
  return { found, missing };
}

/** Throws, naming the plugin, unless its version is semver and its SDK range includes this hub's SDK. */
export function checkSdkCompatibility(what: string, m: { name: string; version: string; sdk: string }): void {
  if (!semver.valid(m.version)) throw new Error(`${what} ${m.name} has an invalid version '${m.version}'`);
  if (!semver.validRange(m.sdk)) throw new Error(`${what} ${m.name} declares an invalid SDK range '${m.sdk}'`);
  if (!semver.satisfies(SDK_VERSION, m.sdk)) throw new Error(`${what} ${m.name} requires SDK ${m.sdk} but this hub provides SDK ${SDK_VERSION}`);
}

/**
 * Resolves a package folder or module path to the module to require, or throws saying what is missing: a
 * workspace package left out of the root tsconfig.json references builds to nothing, silently.
 */
export function resolveBuiltModule(path: string, source: string): string {
  const pkgFile = join(path, 'package.json');
  if (existsSync(pkgFile)) {
    const main = JSON.parse(readFileSync(pkgFile, 'utf8')).main ?? 'index.js';
    const mainPath = join(path, main);
    if (!existsSync(mainPath)) {
      const hint = source.startsWith('workspace ')
        ? `add { "path": "${relative(resolve(WORKSPACE_PLUGINS_DIR, '..'), path)}" } to the references of the root tsconfig.json, then run npm run build`
        : 'build the package before installing it';
      throw new Error(`${source} is not built: its main file ${main} does not exist (${hint})`);
    }
  }
  return require.resolve(path);
}
