import { join } from 'node:path';
import type { Command } from 'commander';
import { loadPlugins } from '../../bootstrap.js';
import { loadConfigFile } from '../../config/load-config.js';
import { fail } from '../fail.js';

/** What a plugin with a certificate store exports as `certificates` (an optional extension, e.g. xray-opcua). */
interface CertificateStore {
  list(pkiDir: string): Promise<Array<{ thumbprint: string; subject: string; validTo: string; state: string }>>;
  trust(pkiDir: string, idOrThumbprint: string): Promise<{ thumbprint: string; subject: string }>;
}

function storeOf(configFile: string, deviceId: string): { store: CertificateStore; pkiDir: string } {
  const { config, source } = loadConfigFile(configFile);
  const device = config.devices.find((d) => d.id === deviceId);
  if (!device) throw new Error(`no device '${deviceId}' in ${configFile}`);
  const plugin = loadPlugins(config, { source }).get(device.plugin);
  const store = plugin?.exports.certificates as CertificateStore | undefined;
  if (!store || typeof store.list !== 'function') throw new Error(`device ${deviceId} (plugin ${device.plugin}) keeps no certificates`);
  return { store, pkiDir: join(config.dataDir, 'devices', deviceId, 'pki') };
}

/** `customs-hub certificates list|trust`: server certificates a device refused, and trusting one of them. */
export function registerCertificates(program: Command): void {
  const cmd = program.command('certificates').description("list and trust the server certificates of a device's secure connection (OPC UA)");
  cmd
    .command('list <device>')
    .option('-c, --config <file>', 'checkpoint config (YAML)', 'config/demo.yaml')
    .action(async (deviceId: string, opts: { config: string }) => {
      try {
        const { store, pkiDir } = storeOf(opts.config, deviceId);
        const list = await store.list(pkiDir);
        for (const c of list) process.stdout.write(`${c.state.padEnd(8)} ${c.thumbprint}  ${c.subject}  (valid to ${c.validTo})\n`);
        process.stdout.write(`${list.length} certificate(s) in ${pkiDir}\n`);
      } catch (err) {
        fail(err);
      }
    });
  cmd
    .command('trust <device> <thumbprint>')
    .description('trust a refused certificate (a unique prefix of its thumbprint is enough); the driver picks it up on its next retry')
    .option('-c, --config <file>', 'checkpoint config (YAML)', 'config/demo.yaml')
    .action(async (deviceId: string, thumbprint: string, opts: { config: string }) => {
      try {
        const { store, pkiDir } = storeOf(opts.config, deviceId);
        const c = await store.trust(pkiDir, thumbprint);
        process.stdout.write(`trusted ${c.thumbprint} (${c.subject}) for ${deviceId}\n`);
      } catch (err) {
        fail(err);
      }
    });
}
