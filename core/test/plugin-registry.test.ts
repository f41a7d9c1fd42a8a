import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PluginRegistry } from '../src/plugins/plugin-registry.js';
import { FIXTURES, VIRTUAL_PLUGIN } from './helpers/hub-config.js';

describe('plugin registry', () => {
  it('loads good plugins and refuses incompatible or broken ones with a reason', () => {
    const r = PluginRegistry.discover({ workspaceDir: null });
    r.load(VIRTUAL_PLUGIN, 'virtual');
    r.load(join(FIXTURES, 'incompatible.js'), 'future');
    r.load(join(FIXTURES, 'broken-module.js'), 'broken');
    r.load(join(FIXTURES, '..', 'storage.test.js'), 'not a plugin');
    assert.deepEqual([...r.plugins.keys()], ['virtual']);
    assert.deepEqual(
      r.refused.map((x) => x.source),
      ['future', 'broken', 'not a plugin'],
    );
    assert.match(r.refused[0]!.reason, /plugin from-the-future requires SDK \^2\.0\.0 but this hub provides SDK 1\.1\.0/);
    assert.match(r.refused[1]!.reason, /cannot load broken: Cannot find module "serialport-bindings"/);
    assert.match(r.refused[2]!.reason, /does not export a device plugin as 'plugin'/);
  });

  it('refuses a second plugin with the same name', () => {
    const r = PluginRegistry.discover({ workspaceDir: null });
    r.load(VIRTUAL_PLUGIN, 'one');
    r.load(join(VIRTUAL_PLUGIN, 'dist', 'src', 'index.js'), 'two');
    assert.match(r.refused[0]!.reason, /plugin name 'virtual' is already provided by @customs-hub\/plugin-virtual/);
  });

  it('refuses an unbuilt workspace plugin saying how to build it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-unbuilt-'));
    mkdirSync(join(dir, 'seal-reader'));
    writeFileSync(join(dir, 'seal-reader', 'package.json'), JSON.stringify({ name: 'seal-reader', main: 'dist/src/index.js', customsHub: { plugin: true } }));
    const r = PluginRegistry.discover({ workspaceDir: dir });
    assert.equal(r.plugins.size, 0);
    assert.match(
      r.refused[0]!.reason,
      /workspace plugins\/seal-reader is not built: its main file dist\/src\/index\.js does not exist \(add \{ "path": "[^"]*seal-reader" \} to the references of the root tsconfig\.json/,
    );
  });

  it('discovers the workspace plugins', () => {
    const r = PluginRegistry.discover({});
    assert.ok(r.get('virtual'), 'virtual plugin found in plugins/');
  });

  it('names a missing package', () => {
    const r = PluginRegistry.discover({ workspaceDir: null, packages: ['@acme/no-such-plugin'] });
    assert.match(r.refused[0]!.reason, /package not found/);
  });

  it('loads a workspace plugin that declares its name only when it is asked for, and all of them for a listing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hub-lazy-'));
    const pkg = (folder: string, name: string, body: string) => {
      mkdirSync(join(dir, folder));
      writeFileSync(join(dir, folder, 'package.json'), JSON.stringify({ name: `@acme/${folder}`, main: 'index.js', customsHub: { plugin: true, name } }));
      writeFileSync(join(dir, folder, 'index.js'), body);
    };
    const virtual = JSON.stringify(require.resolve(VIRTUAL_PLUGIN));
    pkg('virtual-copy', 'virtual', `module.exports = require(${virtual});`);
    pkg('boom', 'boom', "throw new Error('loaded too early');");
    pkg('liar', 'honest', `module.exports = require(${virtual});`);
    const r = PluginRegistry.discover({ workspaceDir: dir });
    assert.deepEqual([r.plugins.size, r.refused.length], [0, 0], 'nothing required at discovery');
    assert.deepEqual(r.names, ['boom', 'honest', 'virtual']);
    assert.equal(r.get('virtual')?.name, 'virtual');
    assert.equal(r.refused.length, 0, 'the broken plugin nobody uses is not even loaded');
    assert.match(r.whyMissing('boom'), /plugin 'boom' was refused: cannot load workspace plugins\/boom: loaded too early/);
    r.loadAll();
    assert.equal(r.get('honest'), undefined);
    assert.match(r.refused.map((x) => x.reason).join('\n'), /names the plugin 'honest' \(customsHub\.name\) but its manifest says 'virtual'/);
  });
});
