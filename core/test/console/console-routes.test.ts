import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Hapi from '@hapi/hapi';
import { registerConsoleRoutes } from '../../src/console/console-routes.js';

async function serverWith(dist: string): Promise<Hapi.Server> {
  const server = Hapi.server({ router: { stripTrailingSlash: true } });
  // A default strategy that refuses everything, like the API's bearer scheme without a token.
  server.auth.scheme('deny', () => ({
    authenticate: () => {
      throw Object.assign(new Error('no'), { isBoom: true, output: { statusCode: 401, payload: {}, headers: {} } });
    },
  }));
  server.auth.strategy('deny', 'deny');
  server.auth.default('deny');
  await registerConsoleRoutes(server, dist);
  await server.initialize();
  return server;
}

describe('console routes', () => {
  const dist = mkdtempSync(join(tmpdir(), 'console-dist-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dist, 'app.js'), 'console.log(1)');
  mkdirSync(join(dist, 'sub'));

  it('serves the page and its bundle without a token, with a strict CSP', async () => {
    const s = await serverWith(dist);
    const page = await s.inject('/console');
    assert.equal(page.statusCode, 200);
    assert.match(page.payload, /<title>console<\/title>/);
    assert.match(page.headers['content-type'] as string, /^text\/html/);
    assert.match(page.headers['content-security-policy'] as string, /default-src 'self'.*connect-src 'self'.*frame-ancestors 'none'/);
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    const js = await s.inject('/console/app.js');
    assert.equal(js.statusCode, 200);
    assert.match(js.headers['content-type'] as string, /javascript/);
    assert.equal((await s.inject('/console/')).statusCode, 200, 'trailing slash is the same page');
  });

  it('redirects / to the console and serves nothing outside dist, and no listings', async () => {
    const s = await serverWith(dist);
    const root = await s.inject('/');
    assert.equal(root.statusCode, 302);
    assert.equal(root.headers.location, '/console');
    assert.equal((await s.inject('/console/missing.js')).statusCode, 404);
    assert.equal((await s.inject('/console/sub')).statusCode, 403, 'no directory listing');
    for (const url of ['/console/../package.json', '/console/%2e%2e/%2e%2e/package.json']) {
      assert.notEqual((await s.inject(url)).statusCode, 200, url);
    }
  });

  it('says how to build the console when the bundle is missing', async () => {
    const s = await serverWith(join(dist, 'nothing-here'));
    const res = await s.inject('/console');
    assert.equal(res.statusCode, 503);
    assert.match(res.payload, /npm run build:console/);
  });
});
