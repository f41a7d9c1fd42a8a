import { AttributeIds, NodeClass, type ClientSession, type DataValue, type NodeId } from 'node-opcua';
import type { ValueMapping } from './config.js';
import { browseChildren, type Children } from './browse.js';
import { decodeScan, FINDING_KEYS, SCAN_KEYS, ScanReadError, type RawScan, type ScanRecord } from './scan-decode.js';
import { plain } from './values.js';

export { ScanReadError, type ScanRecord } from './scan-decode.js';

async function readValues(session: ClientSession, nodes: Array<NodeId | undefined>): Promise<Array<DataValue | undefined>> {
  const wanted = nodes.map((n, i) => ({ n, i })).filter((x): x is { n: NodeId; i: number } => x.n !== undefined);
  const out: Array<DataValue | undefined> = nodes.map(() => undefined);
  if (wanted.length === 0) return out;
  const values = await session.read(wanted.map(({ n }) => ({ nodeId: n, attributeId: AttributeIds.Value })));
  wanted.forEach(({ i }, k) => {
    out[i] = values[k];
  });
  return out;
}

const variable = (c: Children, name: string) => {
  const child = c.get(name);
  return child && child.nodeClass === NodeClass.Variable ? child.nodeId : undefined;
};

/** Reads every finding object under the given folders, in one browse and one read. */
async function readFindings(
  session: ClientSession,
  folders: Array<{ node: NodeId; source: 'automatic' | 'operator' }>,
  m: ValueMapping,
): Promise<RawScan['findings']> {
  const folderChildren = await browseChildren(
    session,
    folders.map((x) => x.node),
  );
  const items: Array<{ node: NodeId; source: 'automatic' | 'operator'; name: string }> = [];
  folderChildren.forEach((children, i) => {
    for (const [name, child] of children) if (child.nodeClass === NodeClass.Object) items.push({ node: child.nodeId, source: folders[i]!.source, name });
  });
  const itemChildren = await browseChildren(
    session,
    items.map((x) => x.node),
  );
  const values = await readValues(
    session,
    itemChildren.flatMap((c) => FINDING_KEYS.map((k) => variable(c, m.findingFields[k]))),
  );
  return items.map((item, i) => ({
    source: item.source,
    name: item.name,
    values: Object.fromEntries(FINDING_KEYS.map((k, j) => [k, plain(values[i * FINDING_KEYS.length + j])])),
  }));
}

/** Reads one scan object: its variables in one request, then its findings and annotations; decodes them under the mapping. */
export async function readScan(session: ClientSession, node: NodeId, m: ValueMapping): Promise<ScanRecord> {
  let children: Children;
  try {
    [children] = (await browseChildren(session, [node])) as [Children];
  } catch (err) {
    throw new ScanReadError(`cannot browse scan node ${node.toString()}: ${(err as Error).message}`, { cause: err });
  }
  const values = await readValues(
    session,
    SCAN_KEYS.map((k) => variable(children, m.fields[k])),
  );
  const raw: RawScan = { nodeId: node.toString(), values: Object.fromEntries(SCAN_KEYS.map((k, i) => [k, plain(values[i])])), findings: [] };
  // Read the id first: a node without one is refused before its findings are browsed.
  if (raw.values.scanId === undefined) throw new ScanReadError(`scan node ${node.toString()} has no readable ${m.fields.scanId}`);
  const folders: Array<{ node: NodeId; source: 'automatic' | 'operator' }> = [];
  const auto = children.get(m.fields.findings)?.nodeId,
    manual = children.get(m.fields.annotations)?.nodeId;
  if (auto) folders.push({ node: auto, source: 'automatic' });
  if (manual) folders.push({ node: manual, source: 'operator' });
  raw.findings = await readFindings(session, folders, m);
  return decodeScan(raw, m);
}
