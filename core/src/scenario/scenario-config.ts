import { SKEWED } from './drafts.js';
import { WATCHED_CONSIGNEE } from './goods.js';

/** The checkpoint config the scenario runs: two cargo lanes, the reference scorers, a live and a shadow policy. */
export function scenarioYaml(dir: string, lanes: string[]): string {
  const laneRules = lanes.map((l) => `      ${l}: { expectedDevices: [ocr-${l}, rpm-${l}, scale-${l}, xray-${l}] }`).join('\n');
  return `checkpoint: { id: SCN-1, name: Scenario checkpoint }
dataDir: ${dir}
storage: { url: "sqlite:${dir}/hub.db", batchMaxDelayMs: 2 }
http: { port: 0 }
logging: { level: silent }
scoring:
  correlation:
    windowS: 60
    closeAfterS: 180
    clockOffsetS: { ${SKEWED.device}: ${SKEWED.offsetS} }
    lanes:
${laneRules}
  scorers:
    - { name: weight, config: { tolerancePct: 10, toleranceKg: 500 } }
    - { name: watchlist, config: { consignees: [{ value: "${WATCHED_CONSIGNEE}", score: 55, note: "prior concealment" }] } }
  policy: { name: standard-v1, thresholds: { yellow: 40, red: 70 }, randomRate: 0.01 }
  shadowPolicies:
    - { name: max-v2, combine: max, thresholds: { yellow: 45, red: 75 }, randomRate: 0 }
`;
}
