import { AttributeIds, NodeClass, type ClientSession, type DataValue, type NodeId } from 'node-opcua';
import type { XrayFinding } from '@customs-hub/sdk';
import type { FindingFields, ScanFields } from './address-space.js';
import { browseChildren, type Children } from './browse.js';
import { asDate, asNumber, asNumbers, asString, asStrings } from './values.js';

/** One scan as read from the scanner's address space. */
export interface ScanRecord {
  nodeId: string;
  scanId: string;
  lane?: string;
  startedAt?: Date;
  endedAt?: Date;
  containers: string[];
  plate?: string;
  image?: { url: string; size?: number; sha256?: string; format?: string; widthPx?: number; heightPx?: number };
  meanDensity?: number;
  findings: XrayFinding[];
  /** What was wrong with the scan's data (kept, and reported as quality reasons). */
  problems: string[];
}

/** A scan node that cannot be read as a scan (no ScanId, unreadable). */
export class ScanReadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ScanReadError';
  }
}

async function readValues(session: ClientSession, nodes: Array<NodeId | undefined>): Promise<Array<DataValue | undefined>> {
  const wanted = nodes.map((n, i) => ({ n, i })).filter((x): x is { n: NodeId; i: number } => x.n !== undefined);
  const out: Array<DataValue | undefined> = nodes.map(() => undefined);
  if (wanted.length === 0) return out;
  const values = await session.read(wanted.map(({ n }) => ({ nodeId: n, attributeId: AttributeIds.Value })));
  wanted.forEach(({ i }, k) => { out[i] = values[k]; });
  return out;
}

const variable = (c: Children, name: string) => {
  const child = c.get(name);
  return child && child.nodeClass === NodeClass.Variable ? child.nodeId : undefined;
};
const folder = (c: Children, name: string) => c.get(name)?.nodeId;

/** Reads every finding object under the given folders, in one browse and one read. */
async function readFindings(session: ClientSession, folders: Array<{ node: NodeId; source: 'automatic' | 'operator' }>, f: FindingFields, problems: string[]): Promise<XrayFinding[]> {
  const folderChildren = await browseChildren(session, folders.map((x) => x.node));
  const items: Array<{ node: NodeId; source: 'automatic' | 'operator'; name: string }> = [];
  folderChildren.forEach((children, i) => {
    for (const [name, child] of children) if (child.nodeClass === NodeClass.Object) items.push({ node: child.nodeId, source: folders[i]!.source, name });
  });
  const itemChildren = await browseChildren(session, items.map((x) => x.node));
  const keys = [f.class, f.box, f.confidence, f.note, f.operator] as const;
  const values = await readValues(session, itemChildren.flatMap((c) => keys.map((k) => variable(c, k))));
  const findings: XrayFinding[] = [];
  items.forEach((item, i) => {
    const [cls, box, confidence, note, operator] = values.slice(i * keys.length, (i + 1) * keys.length);
    const className = asString(cls);
    if (!className) { problems.push(`${item.source} finding ${item.name} has no ${f.class}`); return; }
    const finding: XrayFinding = { class: className, source: item.source };
    const b = asNumbers(box);
    if (b && b.length === 4 && b.every((x) => x >= 0)) finding.box = { x: b[0]!, y: b[1]!, width: b[2]!, height: b[3]! };
    else if (b) problems.push(`finding ${item.name}: ${f.box} must be [x, y, width, height] ≥ 0, got [${b.join(', ')}]`);
    const c = asNumber(confidence);
    if (c !== undefined && c >= 0 && c <= 1) finding.confidence = c;
    else if (c !== undefined) problems.push(`finding ${item.name}: ${f.confidence} ${c} is outside 0..1`);
    const text = [asString(operator), asString(note)].filter(Boolean).join(': ');
    if (text) finding.note = text.slice(0, 2000);
    findings.push(finding);
  });
  return findings;
}

/** Reads one scan object: its variables in one request, then its findings and annotations. */
export async function readScan(session: ClientSession, node: NodeId, fields: ScanFields, findingFields: FindingFields): Promise<ScanRecord> {
  let children: Children;
  try {
    [children] = (await browseChildren(session, [node])) as [Children];
  } catch (err) {
    throw new ScanReadError(`cannot browse scan node ${node.toString()}: ${(err as Error).message}`, { cause: err });
  }
  const keys = ['scanId', 'lane', 'startTime', 'endTime', 'containers', 'plate', 'imageUrl', 'imageSize', 'imageSha256', 'imageFormat', 'imageWidth', 'imageHeight', 'meanDensity'] as const;
  const values = await readValues(session, keys.map((k) => variable(children, fields[k])));
  const v = Object.fromEntries(keys.map((k, i) => [k, values[i]])) as Record<(typeof keys)[number], DataValue | undefined>;
  const scanId = asString(v.scanId);
  if (!scanId) throw new ScanReadError(`scan node ${node.toString()} has no readable ${fields.scanId}`);
  if (scanId.length > 200) throw new ScanReadError(`scan id of ${node.toString()} is longer than 200 characters`);

  const problems: string[] = [];
  const record: ScanRecord = { nodeId: node.toString(), scanId, containers: asStrings(v.containers), findings: [], problems };
  const optional = { lane: asString(v.lane), startedAt: asDate(v.startTime), endedAt: asDate(v.endTime), plate: asString(v.plate), meanDensity: asNumber(v.meanDensity) };
  for (const [k, val] of Object.entries(optional)) if (val !== undefined) (record as unknown as Record<string, unknown>)[k] = val;

  const url = asString(v.imageUrl);
  if (url) {
    const image: NonNullable<ScanRecord['image']> = { url };
    const size = asNumber(v.imageSize);
    if (size !== undefined) image.size = size;
    const sha = asString(v.imageSha256)?.toLowerCase();
    if (sha && /^[0-9a-f]{64}$/.test(sha)) image.sha256 = sha;
    else if (sha) problems.push(`${fields.imageSha256} '${sha.slice(0, 80)}' is not a sha256 hex digest`);
    const format = asString(v.imageFormat);
    if (format) image.format = format.slice(0, 50);
    const w = asNumber(v.imageWidth), h = asNumber(v.imageHeight);
    if (w !== undefined && Number.isInteger(w)) image.widthPx = w;
    if (h !== undefined && Number.isInteger(h)) image.heightPx = h;
    record.image = image;
  }

  const folders: Array<{ node: NodeId; source: 'automatic' | 'operator' }> = [];
  const auto = folder(children, fields.findings), manual = folder(children, fields.annotations);
  if (auto) folders.push({ node: auto, source: 'automatic' });
  if (manual) folders.push({ node: manual, source: 'operator' });
  record.findings = await readFindings(session, folders, findingFields, problems);
  return record;
}
