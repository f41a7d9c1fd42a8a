// The repository's ESLint config (the root eslint.config.mjs re-exports it). It lives here so that its imports
// resolve to this package's node_modules: typescript-eslint runs on TypeScript 6 (its JS compiler API), the
// build on the repo's native TypeScript 7.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', 'data/**', 'test-artifacts/**', 'fuzz/found/**', '.topology/**'],
  },
  // An unused eslint-disable is reported, not fatal: a refactor that removes the cause should not break CI.
  { linterOptions: { reportUnusedDisableDirectives: 'warn' } },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    // recommended (syntax) plus the type-aware rules that catch real bugs: a promise nobody awaits or catches,
    // a promise where a callback's result is ignored, an await on a non-promise. The no-unsafe-* family is not
    // on: it reports every use of a value typed any (~1,200 today), which is better fixed by typing those values.
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      '@typescript-eslint/no-explicit-any': 'error',
      // The packages are CommonJS: plugins, lazy modules and package.json are loaded with require on purpose.
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // any is allowed where raw input is parsed before it is typed: the YAML config (its sections), and tests, which
    // read JSON payloads and hand deliberately wrong shapes to the code under test.
    files: ['core/src/config/**/*.ts', '**/*-config.ts', '**/test/**/*.ts', '**/test/**/*.tsx'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },
);
