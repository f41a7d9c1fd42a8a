import { apiSection } from '../../api/api-config.js';
import { outboxSection } from '../../outbox/outbox-config.js';
import { retentionSection } from '../../retention/retention-config.js';
import { scoringSection } from '../../scoring/scoring-config.js';
import { auditSection } from '../../audit/audit-config.js';
import { securitySection } from '../../auth/security-config.js';
import type { ConfigSection } from '../../util/config-section.js';
import type { HubConfig, SectionKey } from '../types.js';
import { demoTrafficSection } from './demo-traffic.js';
import { httpSection } from './http.js';
import { loggingSection } from './logging.js';
import { pluginsSection } from './plugins.js';
import { simulatorsSection } from './simulators.js';
import { storageSection } from './storage.js';
import { supervisorSection } from './supervisor.js';
import { twinSection } from '../../twin/twin-config.js';

/**
 * Every section of a checkpoint config, by its YAML key. The type says each key of `HubConfig` beyond the
 * checkpoint, lanes and devices has exactly one section, whose parse returns that key's type.
 */
export const SECTIONS: { readonly [K in SectionKey]: ConfigSection<HubConfig[K]> } = {
  storage: storageSection,
  http: httpSection,
  logging: loggingSection,
  supervisor: supervisorSection,
  plugins: pluginsSection,
  simulators: simulatorsSection,
  scoring: scoringSection,
  demoTraffic: demoTrafficSection,
  twin: twinSection,
  api: apiSection,
  outbox: outboxSection,
  audit: auditSection,
  security: securitySection,
  retention: retentionSection,
};
