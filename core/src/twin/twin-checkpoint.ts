import { freePort } from '@customs-hub/sdk/testing';

export interface TwinCheckpointOptions {
  dataDir: string;
  lanes: number;
  seed: number;
  intervalS: number;
  pace: number;
  /** Identity readers on each lane (their plugins must be installed): container OCR gate, plate camera. */
  identityPlugins: { ocr: boolean; lpr: boolean };
  /** Extra `scoring:` lines (scorers, policy), indented two spaces. */
  scoringExtra?: string;
  twinExtra?: string;
}

/**
 * A checkpoint of road cargo lanes whose every device speaks its real protocol to a simulator the lane
 * twin drives: portal monitor (ASCII stream), weighbridge (Modbus TCP), X-ray scanner (OPC UA + HTTP
 * images), spectroscopic portal (N42 stream), and the identity readers when their plugins are there.
 * For the protocol scenario and the tests; ports are picked free.
 */
export async function twinCheckpointYaml(o: TwinCheckpointOptions): Promise<{ yaml: string; lanes: string[] }> {
  const sims: string[] = [];
  const lanes: string[] = [];
  const laneRules: string[] = [];
  const ids: string[] = [];
  for (let i = 1; i <= o.lanes; i++) {
    const lane = `CARGO-${i}`;
    ids.push(lane);
    const [rpm, scale, opcua, images, n42] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
    sims.push(
      `  - { plugin: rpm, simulator: rpm, device: ${lane}-RPM, options: { transport: ascii, port: ${rpm}, seed: ${o.seed + i} } }`,
      `  - { plugin: modbus-device, simulator: modbus-device, device: ${lane}-WEIGHT, options: { profile: weighbridge, port: ${scale}, seed: ${o.seed + i}, tickMs: 100 } }`,
      `  - { plugin: xray-opcua, simulator: xray, device: ${lane}-XRAY, options: { port: ${opcua}, httpPort: ${images}, imageMb: 0.05, seed: ${o.seed + i}, lane: ${lane} } }`,
      `  - { plugin: n42, simulator: n42, device: ${lane}-SRPM, options: { port: ${n42}, seed: ${o.seed + i} } }`,
    );
    const devices = [
      `      - { id: ${lane}-RPM, plugin: rpm, config: { host: 127.0.0.1, port: ${rpm} } }`,
      `      - { id: ${lane}-WEIGHT, plugin: modbus-device, config: { profile: weighbridge, host: 127.0.0.1, port: ${scale}, pollIntervalMs: 200 } }`,
      `      - { id: ${lane}-XRAY, plugin: xray-opcua, config: { endpointUrl: "opc.tcp://127.0.0.1:${opcua}", securityMode: None } }`,
      `      - { id: ${lane}-SRPM, plugin: n42, config: { listenPort: ${n42} } }`,
    ];
    const expected = [`${lane}-RPM`, `${lane}-WEIGHT`, `${lane}-XRAY`];
    if (o.identityPlugins.ocr) {
      const port = await freePort();
      // the gate connects to the hub and pushes JSON readings, newline-framed
      sims.push(
        `  - { plugin: ocr-gate, simulator: ocr-gate, device: ${lane}-OCR, options: { transport: tcp, port: ${port}, seed: ${o.seed + i}, images: 1 } }`,
      );
      devices.unshift(`      - { id: ${lane}-OCR, plugin: ocr-gate, config: { tcp: { mode: listen, port: ${port} } } }`);
      expected.unshift(`${lane}-OCR`);
    }
    if (o.identityPlugins.lpr) {
      const port = await freePort();
      // an ISAPI-style camera the hub polls for plates after its last-seen cursor
      sims.push(`  - { plugin: plate-reader, simulator: plate-reader, device: ${lane}-LPR, options: { mode: isapi, port: ${port}, seed: ${o.seed + i} } }`);
      devices.unshift(`      - { id: ${lane}-LPR, plugin: plate-reader, config: { poll: { url: "http://127.0.0.1:${port}", intervalMs: 300 } } }`);
      expected.unshift(`${lane}-LPR`);
    }
    lanes.push(`  - id: ${lane}\n    type: cargo\n    devices:\n${devices.join('\n')}`);
    laneRules.push(`      ${lane}: { expectedDevices: [${expected.join(', ')}] }`);
  }
  const yaml = `checkpoint: { id: TWIN-1, name: Lane twin checkpoint }
dataDir: ${o.dataDir}
storage: { url: "sqlite:${o.dataDir}/hub.db", batchMaxDelayMs: 2 }
http: { host: 127.0.0.1, port: 0 }
logging: { level: silent }
simulators:
${sims.join('\n')}
lanes:
${lanes.join('\n')}
twin: { lanes: [${ids.join(', ')}], seed: ${o.seed}, intervalS: ${o.intervalS}, pace: ${o.pace}, preArrivalS: 20${o.twinExtra ? `, ${o.twinExtra}` : ''} }
scoring:
  correlation:
    windowS: 60
    closeAfterS: 60
    lanes:
${laneRules.join('\n')}
${o.scoringExtra ?? ''}`;
  return { yaml, lanes: ids };
}

/** Which identity reader plugins this installation has. */
export function identityPluginsPresent(): { ocr: boolean; lpr: boolean } {
  const has = (name: string) => {
    try {
      require.resolve(`${name}/package.json`);
      return true;
    } catch {
      return false;
    }
  };
  return { ocr: has('@customs-hub/plugin-ocr-gate'), lpr: has('@customs-hub/plugin-plate-reader') };
}
