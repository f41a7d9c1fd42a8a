#!/usr/bin/env node
import 'reflect-metadata';
import { Command } from 'commander';
import { registerAudit } from './commands/audit.js';
import { registerInspect } from './commands/inspect.js';
import { registerNational } from './commands/national.js';
import { registerPlugin } from './commands/plugin.js';
import { registerPlugins } from './commands/plugins.js';
import { registerReload } from './commands/reload.js';
import { registerReport } from './commands/report.js';
import { registerCertificates } from './commands/certificates.js';
import { registerDeclarations } from './commands/declarations.js';
import { registerModel } from './commands/model.js';
import { registerSimulate } from './commands/simulate.js';
import { registerTail } from './commands/tail.js';
import { registerTokens } from './commands/tokens.js';
import { registerBackup } from './commands/backup.js';
import { registerStart } from './commands/start.js';
import { registerStorage } from './commands/storage.js';
import { registerValidateConfig } from './commands/validate-config.js';

const program = new Command('customs-hub')
  .description('Integration hub for customs control equipment')
  .version(require('../../../package.json').version)
  .showHelpAfterError();

registerStart(program);
registerValidateConfig(program);
registerPlugins(program);
registerPlugin(program);
registerReload(program);
registerReport(program);
registerDeclarations(program);
registerModel(program);
registerCertificates(program);
registerInspect(program);
registerSimulate(program);
registerTokens(program);
registerTail(program);
registerAudit(program);
registerNational(program);
registerStorage(program);
registerBackup(program);

program.parseAsync(process.argv).catch((err: Error) => {
  process.stderr.write(`customs-hub: ${err.message}\n`);
  process.exit(1);
});
