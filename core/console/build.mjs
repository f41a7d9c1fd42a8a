// Bundles the console into dist/ (no CDN, nothing fetched at run time). Prints one summary line.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
const dist = join(here, 'dist');
const started = Date.now();
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
await build({
  entryPoints: [join(here, 'src/main.tsx')],
  outfile: join(dist, 'app.js'),
  bundle: true,
  minify: true,
  sourcemap: 'external', // written for debugging on the machine, never referenced or served
  format: 'iife',
  target: ['chrome110', 'firefox110', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'linked',
  logLevel: 'warning',
});
copyFileSync(join(here, 'src/index.html'), join(dist, 'index.html'));
const kb = (f) => (statSync(join(dist, f)).size / 1024).toFixed(1);
process.stdout.write(`console: built core/console/dist (app.js ${kb('app.js')} kB, app.css ${kb('app.css')} kB) in ${Date.now() - started} ms\n`);
