import { AttributeIds, StatusCodes, TimestampsToReturn, type ClientSession, type ClientSubscription, type DataValue, type NodeId } from 'node-opcua';
import { NodeIdError } from './node-ids.js';

/** The scanner nodes the driver watches, resolved for this session. */
export interface WatchedNodes {
  status: NodeId;
  statusMessage: NodeId;
  lastScan: NodeId;
  heartbeat: NodeId;
}

/** Which watched node a notification is about. */
export type WatchedName = keyof WatchedNodes;

/** Nodes a scanner may lack: the driver carries on without them (its status is then unknown). */
const OPTIONAL: ReadonlySet<WatchedName> = new Set(['status', 'statusMessage']);

/**
 * Creates one subscription with a monitored item per watched node. Every data change is passed to
 * onChange (also the heartbeat, which exists only so the watchdog can tell a live subscription from a silent one).
 * Resolves with the subscription and the optional nodes the server does not have.
 */
export async function subscribeScanner(
  session: ClientSession,
  nodes: WatchedNodes,
  publishingIntervalMs: number,
  onChange: (name: WatchedName, value: DataValue) => void,
): Promise<{ subscription: ClientSubscription; missing: WatchedName[] }> {
  const missing: WatchedName[] = [];
  const subscription = await session.createSubscription2({
    requestedPublishingInterval: publishingIntervalMs,
    requestedMaxKeepAliveCount: 10,
    requestedLifetimeCount: 60,
    maxNotificationsPerPublish: 1000,
    publishingEnabled: true,
    priority: 10,
  });
  try {
    // Items notify in this order within one publish: the message before the status it explains.
    for (const name of ['heartbeat', 'statusMessage', 'status', 'lastScan'] as const) {
      const item = await subscription.monitor(
        { nodeId: nodes[name], attributeId: AttributeIds.Value },
        // lastScan keeps a queue, so scans announced in quick succession are each seen.
        { samplingInterval: name === 'heartbeat' ? 1000 : 0, discardOldest: true, queueSize: name === 'lastScan' ? 100 : 1 },
        TimestampsToReturn.Both,
      );
      const status = item.statusCode;
      const unknown = status.equals(StatusCodes.BadNodeIdUnknown) || status.equals(StatusCodes.BadNodeIdInvalid);
      if (unknown && OPTIONAL.has(name)) {
        missing.push(name);
        await item.terminate().catch(() => undefined);
        continue;
      }
      // A node the server does not have is a config (or vendor mapping) mistake: someone has to act.
      if (unknown) {
        throw new NodeIdError(`node '${name}' (${nodes[name].toString()}) is not on the server: ${status.toString()}`);
      }
      if (!status.isGood()) throw new Error(`cannot monitor ${name} (${nodes[name].toString()}): ${status.toString()}`);
      item.on('changed', (value: DataValue) => onChange(name, value));
    }
  } catch (err) {
    await subscription.terminate().catch(() => undefined);
    throw err;
  }
  return { subscription, missing };
}
