import { resolveNodeId, type NodeId } from 'node-opcua';

/** A configured node id the server cannot resolve (unknown namespace, bad syntax). */
export class NodeIdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NodeIdError';
  }
}

/**
 * Resolves an expanded node id (`nsu=<uri>;s=…`) or a plain one (`i=2258`, `ns=0;…`) against the
 * server's namespace array, so configs never depend on the index a server happens to give a namespace.
 */
export function resolveExpandedNodeId(id: string, namespaceArray: readonly string[]): NodeId {
  const m = /^nsu=([^;]+);(.+)$/.exec(id);
  if (m) {
    const index = namespaceArray.indexOf(m[1]!);
    if (index < 0) throw new NodeIdError(`namespace '${m[1]}' of node ${id} is not on the server (it has: ${namespaceArray.join(', ')})`);
    return parse(index === 0 ? m[2]! : `ns=${index};${m[2]}`, id);
  }
  return parse(id, id);
}

function parse(text: string, original: string): NodeId {
  try {
    return resolveNodeId(text);
  } catch (err) {
    throw new NodeIdError(`'${original}' is not a node id: ${(err as Error).message}`);
  }
}
