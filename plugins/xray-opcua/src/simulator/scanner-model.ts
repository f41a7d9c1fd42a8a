import {
  DataType,
  NodeId,
  StatusCodes,
  Variant,
  VariantArrayType,
  type AddressSpace,
  type ISessionContext,
  type Namespace,
  type UAObject,
  type UAVariable,
  type VariantLike,
} from 'node-opcua';
import type { XrayFinding } from '@customs-hub/sdk';
import { DEFAULT_FINDING_FIELDS as F, DEFAULT_SCAN_FIELDS as S, XRAY_NAMESPACE_URI } from '../address-space.js';
import { DETECTOR_COLUMNS, IMAGE_FORMAT, imageHeight } from './image-stream.js';
import type { VendorShape } from './options.js';
import { scanRecordJson, vendorTime, vendorVerdict } from './scan-record.js';
import type { ScanProfile, SimulatedScan } from './scan-factory.js';

/** Called by the TriggerScan method; resolves to the new scan id. */
export type TriggerScan = (profile: ScanProfile) => Promise<string>;

const PROFILES: Record<string, ScanProfile> = {
  '': {},
  clean: { findings: false, invalidContainer: false },
  findings: { findings: true },
  'invalid-container': { invalidContainer: true },
  corrupt: { corrupt: true },
  malformed: { malformed: true },
};

/**
 * The scanner model, built in a node-opcua server's address space: the documented XrayScanner object
 * (Status, StatusMessage, LastScan, LastScanId, Heartbeat, the Scans history folder, TriggerScan), or a
 * vendor's variant of it (VendorShape: no archive folder, LastScan as a record, historized, other words and types).
 */
export class ScannerModel {
  private readonly ns: Namespace;
  private readonly scanner: UAObject;
  private readonly scans: UAObject | null;
  private readonly vars: Record<'lastScan' | 'lastScanId' | 'heartbeat', UAVariable> & Partial<Record<'status' | 'statusMessage', UAVariable>>;

  constructor(
    private readonly addressSpace: AddressSpace,
    private readonly imageUrl: (scan: SimulatedScan) => string,
    trigger: TriggerScan,
    private readonly shape: VendorShape,
    historySize: number,
  ) {
    this.ns = addressSpace.registerNamespace(XRAY_NAMESPACE_URI);
    const ns = this.ns;
    this.scanner = ns.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: 'XrayScanner', nodeId: 's=XrayScanner' });
    const v = (name: string, dataType: DataType, value: unknown) =>
      ns.addVariable({
        componentOf: this.scanner,
        browseName: name,
        nodeId: `s=XrayScanner.${name}`,
        dataType,
        value: new Variant({ dataType, value }),
        // 0: changes are reported as they happen (not sampled), so every announced scan is notified; a sampling vendor folds them.
        minimumSamplingInterval: name === 'LastScan' ? shape.samplingMs : 0,
      });
    const record = shape.lastScan === 'record';
    this.vars = {
      ...(shape.statusNode ? { status: v('Status', DataType.String, this.word('Ready')), statusMessage: v('StatusMessage', DataType.String, '') } : {}),
      lastScan: record ? v('LastScan', DataType.String, '') : v('LastScan', DataType.NodeId, new NodeId()),
      lastScanId: v('LastScanId', DataType.String, ''),
      heartbeat: v('Heartbeat', DataType.UInt32, 0),
    };
    if (shape.historizing) addressSpace.installHistoricalDataNode(this.vars.lastScan, { maxOnlineValues: historySize });
    this.scans =
      shape.archive === 'folder'
        ? ns.addObject({ componentOf: this.scanner, browseName: 'Scans', nodeId: 's=XrayScanner.Scans', typeDefinition: 'FolderType' })
        : null;
    const method = ns.addMethod(this.scanner, {
      browseName: 'TriggerScan',
      nodeId: 's=XrayScanner.TriggerScan',
      inputArguments: [
        { name: 'Profile', description: { text: "'' (random), clean, findings, invalid-container, corrupt, malformed" }, dataType: DataType.String },
      ],
      outputArguments: [{ name: 'ScanId', dataType: DataType.String }],
    });
    method.bindMethod(async (args: Variant[], _context: ISessionContext) => {
      const profile = PROFILES[String(args[0]?.value ?? '')];
      if (!profile) return { statusCode: StatusCodes.BadInvalidArgument };
      const scanId = await trigger(profile);
      return { statusCode: StatusCodes.Good, outputArguments: [{ dataType: DataType.String, value: scanId }] };
    });
  }

  private word(status: string): string {
    return this.shape.statusWords[status] ?? status;
  }

  setStatus(status: string, message = ''): void {
    if (this.vars.statusMessage) this.set(this.vars.statusMessage, { dataType: DataType.String, value: message });
    if (this.vars.status) this.set(this.vars.status, { dataType: DataType.String, value: this.word(status) });
  }

  beat(n: number): void {
    this.set(this.vars.heartbeat, { dataType: DataType.UInt32, value: n >>> 0 });
  }

  private scanNodeId(scanId: string): string {
    return `s=XrayScanner.Scans.${scanId}`;
  }

  /**
   * Adds a complete scan (to the history folder, when the shape has one); announce=false adds it silently
   * (rebuilding after a restart). A historized LastScan records the announcement at `at`.
   */
  addScan(scan: SimulatedScan, announce = true, at = new Date()): void {
    if (this.shape.lastScan === 'node') this.addScanObject(scan);
    if (announce) this.announce(scan, at);
  }

  private addScanObject(scan: SimulatedScan): void {
    const ns = this.ns;
    const shape = this.shape;
    const obj = ns.addObject({ ...(this.scans ? { organizedBy: this.scans } : {}), browseName: scan.scanId, nodeId: this.scanNodeId(scan.scanId) });
    const v = (name: string, dataType: DataType, value: unknown, parent: UAObject = obj, arrayType?: 'Array') =>
      ns.addVariable({
        componentOf: parent,
        browseName: name,
        dataType,
        valueRank: arrayType ? 1 : -1,
        value: new Variant({ dataType, value, arrayType: arrayType ? VariantArrayType.Array : VariantArrayType.Scalar }),
      });
    const time = (name: string, t: Date) => {
      const x = vendorTime(t, shape);
      v(name, x instanceof Date ? DataType.DateTime : DataType.String, x);
    };
    v(S.scanId, DataType.String, scan.scanId);
    v(S.lane, DataType.String, scan.lane);
    time(S.startTime, scan.startedAt);
    time(S.endTime, scan.endedAt);
    if (shape.containers === 'delimited') v(S.containers, DataType.String, scan.containers.join(';'));
    else v(S.containers, DataType.String, scan.containers, obj, 'Array');
    v(S.plate, DataType.String, scan.plate);
    v(S.imageUrl, DataType.String, this.imageUrl(scan));
    v(S.imageSize, DataType.UInt64, [Math.floor(scan.imageSize / 2 ** 32), scan.imageSize % 2 ** 32]);
    v(S.imageSha256, DataType.String, scan.malformed ? 'n/a' : scan.imageSha256);
    v(S.imageFormat, DataType.String, IMAGE_FORMAT);
    v(S.imageWidth, DataType.UInt32, DETECTOR_COLUMNS);
    v(S.imageHeight, DataType.UInt32, imageHeight(scan.imageSize));
    v(S.meanDensity, DataType.Double, scan.meanDensity);
    const verdict = vendorVerdict(scan, shape);
    if (verdict) v(S.verdict, DataType.String, verdict);
    const addFindings = (folderName: string, list: Array<XrayFinding & { operator?: string }>) => {
      const folder = ns.addObject({ componentOf: obj, browseName: folderName, typeDefinition: 'FolderType' });
      const bad = scan.malformed && folderName === S.findings;
      list.forEach((f, i) => {
        const item = ns.addObject({ organizedBy: folder, browseName: `${folderName === S.findings ? 'Finding' : 'Annotation'}${i + 1}` });
        v(F.class, DataType.String, f.class, item);
        const box = [f.box?.x ?? 0, f.box?.y ?? 0, f.box?.width ?? 0, f.box?.height ?? 0];
        if (f.box) v(F.box, DataType.Double, new Float64Array(bad && i === 0 ? box.slice(0, 3) : box), item, 'Array');
        if (f.confidence !== undefined) v(F.confidence, DataType.Double, bad && i === 0 ? 1.7 : f.confidence, item);
        if (f.operator) v(F.operator, DataType.String, f.operator, item);
        if (f.note) v(F.note, DataType.String, f.note, item);
      });
      if (bad) ns.addObject({ organizedBy: folder, browseName: `Finding${list.length + 1}` });
    };
    addFindings(S.findings, scan.findings);
    addFindings(S.annotations, scan.annotations);
  }

  /** Points LastScan at a scan (its node, or its record), at the given time. */
  announce(scan: SimulatedScan, at = new Date()): void {
    if (this.shape.lastScan === 'record') {
      this.set(this.vars.lastScan, { dataType: DataType.String, value: scanRecordJson(scan, this.imageUrl(scan), this.shape) }, at);
    } else {
      const node = this.addressSpace.findNode(`ns=${this.ns.index};${this.scanNodeId(scan.scanId)}`);
      if (!node) return;
      this.set(this.vars.lastScan, { dataType: DataType.NodeId, value: node.nodeId }, at);
    }
    this.set(this.vars.lastScanId, { dataType: DataType.String, value: scan.scanId }, at);
  }

  /** Announces a scan that is nowhere (not in the address space, not in the history): a vendor bug to survive. */
  announceMissing(scanId: string): void {
    if (this.shape.lastScan === 'node')
      this.set(this.vars.lastScan, { dataType: DataType.NodeId, value: new NodeId(NodeId.NodeIdType.STRING, `XrayScanner.Scans.${scanId}`, this.ns.index) });
    this.set(this.vars.lastScanId, { dataType: DataType.String, value: scanId });
  }

  removeScan(scanId: string): void {
    const node = this.addressSpace.findNode(`ns=${this.ns.index};${this.scanNodeId(scanId)}`);
    if (node) this.addressSpace.deleteNode(node);
  }

  private set(variable: UAVariable, value: VariantLike, at?: Date): void {
    variable.setValueFromSource(value, StatusCodes.Good, at);
  }
}
