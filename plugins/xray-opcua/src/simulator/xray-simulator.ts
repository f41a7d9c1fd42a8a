import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPCUACertificateManager, OPCUAServer, MessageSecurityMode, SecurityPolicy } from 'node-opcua';
import type { DrivenSimulator, Logger, VehiclePass } from '@customs-hub/sdk';
import { seededRandom } from '@customs-hub/sdk';
import { ImageServer } from './image-server.js';
import { imageSha256 } from './image-stream.js';
import { makeScan, type ScanProfile, type SimulatedScan } from './scan-factory.js';
import { ScannerModel } from './scanner-model.js';

import { DEFAULT_OPTIONS, DOCUMENTED_SHAPE, type VendorShape, type XraySimulatorOptions } from './options.js';

export { DEFAULT_OPTIONS, type XraySimulatorOptions, type VendorShape };

/**
 * A cargo X-ray scanner over OPC UA: scans on a schedule and on demand (TriggerScan or scan()),
 * images over HTTP. The history and the image server survive restartServer(), as on a real scanner.
 */
export class XraySimulator implements DrivenSimulator {
  readonly scans: SimulatedScan[] = [];
  private server: OPCUAServer | null = null;
  private certificateManager: OPCUACertificateManager | null = null;
  private model: ScannerModel | null = null;
  private readonly images: ImageServer;
  private readonly rand: () => number;
  private readonly runId = Date.now().toString(36).toUpperCase();
  private timer: NodeJS.Timeout | null = null;
  private beat: NodeJS.Timeout | null = null;
  private beats = 0;
  private index = 0;
  private creating: Promise<unknown> = Promise.resolve();
  private readonly passing = new Set<NodeJS.Timeout>();
  private missing = 0;
  /** The vendor quirks this simulator plays (the documented model by default). */
  readonly shape: VendorShape;
  port = 0;
  httpPort = 0;

  constructor(
    readonly options: XraySimulatorOptions,
    private readonly logger: Logger,
  ) {
    this.rand = seededRandom(options.seed);
    this.shape = { ...DOCUMENTED_SHAPE, ...options.vendor };
    this.images = new ImageServer((name) => {
      const scan = this.scans.find((s) => s.scanId === name.replace(/\.raw$/, ''));
      return scan && !scan.missingImage ? { seed: scan.imageSeed, sizeBytes: scan.imageSize, corrupt: scan.corrupt } : undefined;
    }, logger);
  }

  get endpointUrl(): string {
    return `opc.tcp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.httpPort = await this.images.listen(this.options.httpPort);
    await this.startServer();
    if (this.options.intervalS > 0 && this.options.traffic !== 'driven') {
      this.timer = setInterval(() => {
        this.scan().catch((err: Error) => this.logger.error({ err: err.message }, 'scheduled scan failed'));
      }, this.options.intervalS * 1000);
    }
    return this;
  }

  /** Produces one scan now (also while the OPC UA server is down: it lands in the history). */
  scan(profile: ScanProfile = {}): Promise<SimulatedScan> {
    const next = this.creating.then(() => this.create(profile));
    this.creating = next.catch(() => undefined);
    return next;
  }

  /**
   * The lane twin drives a vehicle through (traffic: driven): the scan runs for the vehicle's dwell time
   * and is published when it ends, with the scanner's clock offset on its times.
   */
  pass(v: VehiclePass): void {
    if (this.options.traffic !== 'driven') throw new Error('xray simulator: pass() needs traffic: driven');
    if (!v.xray) return;
    const scanMs = (v.dwellS ?? 25) * 1000;
    const skew = this.options.clockOffsetS * 1000;
    const start = Date.now();
    const xray = v.xray;
    const timer = setTimeout(() => {
      this.passing.delete(timer);
      const truth = {
        containers: (v.containers ?? []).map((c) => c.misreadAs ?? c.number),
        ...(v.plate ? { plate: v.plate.misreadAs ?? v.plate.number } : {}),
        meanDensity: xray.meanDensity,
        findings: xray.findings,
        startedAt: new Date(start + skew),
        endedAt: new Date(start + scanMs + skew),
      };
      this.scan({ truth }).catch((err: Error) => this.logger.error({ err: err.message }, 'driven scan failed'));
    }, scanMs);
    this.passing.add(timer);
  }

  /** Starts the OPC UA server (again), rebuilding the address space from the history. */
  async startServer(): Promise<void> {
    const secure = this.options.secure;
    if (secure) {
      this.certificateManager = new OPCUACertificateManager({
        rootFolder: this.options.pkiDir ?? join(tmpdir(), 'customs-hub-xray-simulator-pki'),
        automaticallyAcceptUnknownCertificate: !this.options.rejectUnknownClients,
      });
      await this.certificateManager.initialize();
    }
    const server = new OPCUAServer({
      port: this.port || this.options.port,
      hostname: '127.0.0.1',
      alternateHostname: ['127.0.0.1'],
      // 0: changes of exception-based variables (LastScan) are each notified, not folded per sampling window.
      serverCapabilities: { minSupportedSampleRate: 0 },
      buildInfo: { productName: 'customs-hub X-ray scanner simulator', manufacturerName: 'customs-hub' },
      securityModes: secure ? [MessageSecurityMode.None, MessageSecurityMode.SignAndEncrypt] : [MessageSecurityMode.None],
      securityPolicies: secure ? [SecurityPolicy.None, SecurityPolicy.Basic256Sha256] : [SecurityPolicy.None],
      ...(this.certificateManager ? { serverCertificateManager: this.certificateManager } : {}),
    });
    await server.initialize();
    const model = new ScannerModel(
      server.engine.addressSpace!,
      (s) => `http://127.0.0.1:${this.httpPort}/images/${s.scanId}.raw`,
      async (p) => (await this.scan(p)).scanId,
      this.shape,
      this.options.historySize,
    );
    // A historized LastScan gets its past values back, each at the time it was announced.
    for (const scan of this.scans) model.addScan(scan, this.shape.historizing, scan.announcedAt);
    const last = this.scans[this.scans.length - 1];
    if (last && !this.shape.historizing) model.announce(last, last.announcedAt);
    await server.start();
    this.server = server;
    this.model = model;
    this.port = server.endpoints[0]!.port;
    this.beat = setInterval(() => this.model?.beat(++this.beats), 500);
  }

  /** Stops the OPC UA server only (the image server and history stay), as a scanner reboot would. */
  async stopServer(): Promise<void> {
    if (this.beat) clearInterval(this.beat);
    this.beat = null;
    this.model = null;
    await this.server?.shutdown(0);
    this.server = null;
    await this.certificateManager?.dispose();
    this.certificateManager = null;
    if (this.shape.resetIdsOnRestart) {
      // This scanner keeps its state in memory: a reboot forgets the history and counts scan ids from 1 again.
      this.scans.length = 0;
      this.index = 0;
    }
  }

  /** Announces a scan that is in neither the address space nor the history (a vendor bug); returns its id. */
  announceMissing(): string {
    const scanId = `XR-${this.runId}-GONE${++this.missing}`;
    this.model?.announceMissing(scanId);
    return scanId;
  }

  /** True while the OPC UA server is up. */
  get serving(): boolean {
    return this.server !== null;
  }

  async restartServer(): Promise<void> {
    await this.stopServer();
    await this.startServer();
  }

  setStatus(status: string, message = ''): void {
    this.model?.setStatus(status, message);
  }

  /** Deletes the monitored items of every client subscription: the subscriptions live on, silent. */
  silenceSubscriptions(): number {
    let n = 0;
    for (const session of this.server?.engine.getSessions() ?? []) {
      for (const sub of session.publishEngine.subscriptions) {
        const { serverHandles } = sub.getMonitoredItems();
        for (const id of serverHandles) {
          sub.removeMonitoredItem(id);
          n++;
        }
      }
    }
    return n;
  }

  /** Subscriptions ever created on the current server. */
  get subscriptionsCreated(): number {
    return this.server?.engine.cumulatedSubscriptionCount ?? 0;
  }

  describe(): string {
    return (
      `xray OPC UA scanner on ${this.endpointUrl} (namespace urn:customs-hub:xray-scanner), images on http://127.0.0.1:${this.httpPort}/images/, ` +
      `${this.options.traffic === 'driven' ? 'scans of the vehicles the lane twin drives' : this.options.intervalS > 0 ? `a scan every ${this.options.intervalS} s` : 'scans on demand'}, ${this.options.imageMb} MB images`
    );
  }

  async stop(): Promise<void> {
    for (const t of this.passing) clearTimeout(t);
    this.passing.clear();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.creating;
    await this.stopServer();
    await this.images.close();
  }

  private async create(profile: ScanProfile): Promise<SimulatedScan> {
    this.model?.setStatus('Scanning');
    const draft = makeScan(this.rand, {
      index: ++this.index,
      runId: this.runId,
      lane: this.options.lane,
      now: new Date(),
      imageBytes: Math.max(1, Math.round(this.options.imageMb * 1024 * 1024)),
      findingRate: this.options.findingRate,
      invalidRate: this.options.invalidRate,
      profile,
    });
    const scan: SimulatedScan = { ...draft, imageSha256: await imageSha256({ seed: draft.imageSeed, sizeBytes: draft.imageSize }), announcedAt: new Date() };
    this.scans.push(scan);
    // Shift outside the optional call: with the server down (no model), `model?.removeScan(shift())` skips the shift and never ends.
    while (this.scans.length > this.options.historySize) {
      const oldest = this.scans.shift()!;
      this.model?.removeScan(oldest.scanId);
    }
    this.model?.addScan(scan, true, scan.announcedAt);
    this.model?.setStatus('Ready');
    this.logger.info({ scanId: scan.scanId, containers: scan.containers, findings: scan.findings.length, corrupt: scan.corrupt }, 'scan produced');
    return scan;
  }
}
