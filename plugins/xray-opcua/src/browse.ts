import { BrowseDirection, NodeClassMask, type BrowseDescriptionLike, type ClientSession, type NodeId, type ReferenceDescription } from 'node-opcua';

/** Children of one node, by browse name (without namespace), keyed once; duplicates keep the first. */
export type Children = Map<string, { nodeId: NodeId; nodeClass: number }>;

function description(nodeId: NodeId): BrowseDescriptionLike {
  return {
    nodeId,
    referenceTypeId: 'HierarchicalReferences',
    includeSubtypes: true,
    browseDirection: BrowseDirection.Forward,
    nodeClassMask: NodeClassMask.Object | NodeClassMask.Variable,
    resultMask: 0x3f,
  };
}

/** Browses the children of several nodes in one request, following continuation points. */
export async function browseChildren(session: ClientSession, nodeIds: NodeId[]): Promise<Children[]> {
  if (nodeIds.length === 0) return [];
  const results = await session.browse(nodeIds.map(description));
  const out: Children[] = [];
  for (let i = 0; i < results.length; i++) {
    const result = results[i]!;
    if (!result.statusCode.isGood()) throw new Error(`browse of ${nodeIds[i]!.toString()} failed: ${result.statusCode.toString()}`);
    const refs: ReferenceDescription[] = [...(result.references ?? [])];
    let cp = result.continuationPoint;
    while (cp && cp.length > 0) {
      const next = await session.browseNext(cp, false);
      refs.push(...(next.references ?? []));
      cp = next.continuationPoint;
    }
    const children: Children = new Map();
    for (const r of refs) {
      const name = r.browseName.name ?? '';
      if (!children.has(name)) children.set(name, { nodeId: r.nodeId as unknown as NodeId, nodeClass: r.nodeClass });
    }
    out.push(children);
  }
  return out;
}
