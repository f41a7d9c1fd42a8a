// ESLint's config lives with its toolchain in tools/lint (installed by `npm run lint:install`).
export { default } from './tools/lint/eslint.config.mjs';
